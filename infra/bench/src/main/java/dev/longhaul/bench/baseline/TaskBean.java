package dev.longhaul.bench.baseline;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * The task item as a mutable bean, the shape {@code TableSchema.fromBean} needs. It exists only
 * to measure what that mapping costs; the functions map items by hand in {@code TaskItemMapper}.
 */
@DynamoDbBean
public class TaskBean {
    private String id;
    private String owner;
    private String type;
    private String status;
    private Long progress;
    private String description;
    private String parameters;
    private String createdAt;
    private String updatedAt;
    private String startedAt;
    private String finishedAt;
    private String expiresAt;
    private String eta;
    private String leaseUntil;
    private Long ttl;
    private Long attempts;
    private String executions;
    private ErrorBean error;
    private ResultBean result;
    private Long revision;
    private Boolean cancelRequested;
    private String runToken;

    @DynamoDbPartitionKey
    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getOwner() { return owner; }
    public void setOwner(String owner) { this.owner = owner; }
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public Long getProgress() { return progress; }
    public void setProgress(Long progress) { this.progress = progress; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public String getParameters() { return parameters; }
    public void setParameters(String parameters) { this.parameters = parameters; }
    public String getCreatedAt() { return createdAt; }
    public void setCreatedAt(String createdAt) { this.createdAt = createdAt; }
    public String getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(String updatedAt) { this.updatedAt = updatedAt; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getFinishedAt() { return finishedAt; }
    public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
    public String getExpiresAt() { return expiresAt; }
    public void setExpiresAt(String expiresAt) { this.expiresAt = expiresAt; }
    public String getEta() { return eta; }
    public void setEta(String eta) { this.eta = eta; }
    public String getLeaseUntil() { return leaseUntil; }
    public void setLeaseUntil(String leaseUntil) { this.leaseUntil = leaseUntil; }
    public Long getTtl() { return ttl; }
    public void setTtl(Long ttl) { this.ttl = ttl; }
    public Long getAttempts() { return attempts; }
    public void setAttempts(Long attempts) { this.attempts = attempts; }
    public String getExecutions() { return executions; }
    public void setExecutions(String executions) { this.executions = executions; }
    public ErrorBean getError() { return error; }
    public void setError(ErrorBean error) { this.error = error; }
    public ResultBean getResult() { return result; }
    public void setResult(ResultBean result) { this.result = result; }
    public Long getRevision() { return revision; }
    public void setRevision(Long revision) { this.revision = revision; }
    public Boolean getCancelRequested() { return cancelRequested; }
    public void setCancelRequested(Boolean cancelRequested) { this.cancelRequested = cancelRequested; }
    public String getRunToken() { return runToken; }
    public void setRunToken(String runToken) { this.runToken = runToken; }

    @DynamoDbBean
    public static class ErrorBean {
        private String code;
        private String message;

        public String getCode() { return code; }
        public void setCode(String code) { this.code = code; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
    }

    @DynamoDbBean
    public static class ResultBean {
        private String contentType;
        private Long size;

        public String getContentType() { return contentType; }
        public void setContentType(String contentType) { this.contentType = contentType; }
        public Long getSize() { return size; }
        public void setSize(Long size) { this.size = size; }
    }
}
