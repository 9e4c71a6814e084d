package dev.longhaul.bench;

import dev.longhaul.aws.AwsClients;
import dev.longhaul.aws.dynamodb.DynamoDbTaskStore;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskCodec;
import dev.longhaul.emulators.Emulators;
import dev.longhaul.emulators.Provisioner;
import dev.longhaul.emulators.SamTemplate;
import dev.longhaul.emulators.Stack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** The emulators, started once in the harness JVM, with the repository's template provisioned on them. */
final class LocalCloud implements AutoCloseable {
    private final Emulators emulators;
    private final AwsClients clients;
    private final Stack stack;
    private final Path root;

    private LocalCloud(Emulators emulators, AwsClients clients, Stack stack, Path root) {
        this.emulators = emulators;
        this.clients = clients;
        this.stack = stack;
        this.root = root;
    }

    static LocalCloud start(Path root) {
        Emulators emulators = Emulators.start();
        AwsClients clients = AwsClients.fromEnvironment(emulators.environment());
        Stack stack = new Provisioner(clients.dynamoDb(), clients.sqs(), clients.s3(), clients.kms())
                // the benchmarks run demo.sleep, which a deployed stack leaves out by default
                .provision(SamTemplate.load(root.resolve("template.yaml")), Map.of("EnableDemoJobs", "true"));
        return new LocalCloud(emulators, clients, stack, root);
    }

    Path workspaceRoot() {
        return root;
    }

    Emulators emulators() {
        return emulators;
    }

    AwsClients clients() {
        return clients;
    }

    /** What the function sees at run time: emulator endpoints and credentials plus the template's variables. */
    Map<String, String> environment(String functionLogicalId) {
        Map<String, String> environment = new LinkedHashMap<>(emulators.environment());
        environment.putAll(stack.functionEnvironment(functionLogicalId));
        return environment;
    }

    String tableName() {
        return stack.physicalId("TasksTable");
    }

    String queueUrl() {
        return stack.physicalId("WorkQueue");
    }

    String bucket() {
        return stack.physicalId("ResultsBucket");
    }

    /** (Re)writes the task a queue message carries, as queued, so a worker run can claim it. */
    void putQueuedTask(String messageBody) {
        Task task = TaskCodec.fromJson(Json.parseObject(messageBody));
        clients.dynamoDb().deleteItem(delete -> delete.tableName(tableName())
                .key(Map.of("id", AttributeValue.fromS(task.id()))));
        new DynamoDbTaskStore(clients.dynamoDb(), tableName()).create(task);
    }

    Task find(String id) {
        return new DynamoDbTaskStore(clients.dynamoDb(), tableName()).find(id).orElse(null);
    }

    List<Message> receive(int max, int waitSeconds) {
        return clients.sqs().receiveMessage(receive -> receive
                .queueUrl(queueUrl())
                .maxNumberOfMessages(max)
                .messageSystemAttributeNamesWithStrings("All")
                .waitTimeSeconds(waitSeconds)).messages();
    }

    void purgeQueue() {
        clients.sqs().purgeQueue(purge -> purge.queueUrl(queueUrl()));
    }

    @Override
    public void close() {
        clients.close();
        emulators.close();
    }
}
