package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.emulators.Emulators;
import dev.longhaul.emulators.SamTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each deploy rule the local cloud enforces, on small templates, and on the project's own. */
class DeployRulesTest {

    private static DeployRules.Findings check(String resources) {
        return check(resources, Map.of());
    }

    private static DeployRules.Findings check(String resources, Map<String, String> parameters) {
        return DeployRules.check(SamTemplate.parse("""
                Transform: AWS::Serverless-2016-10-31
                Parameters:
                  Size:
                    Type: Number
                    Default: 10
                Resources:
                """ + resources.indent(2)), parameters);
    }

    private static void assertViolation(DeployRules.Findings findings, String... fragments) {
        assertTrue(findings.violations().stream().anyMatch(v -> List.of(fragments).stream().allMatch(v::contains)),
                "no violation with " + List.of(fragments) + " in " + findings.violations());
    }

    private static void assertRecommendation(DeployRules.Findings findings, String... fragments) {
        assertTrue(findings.recommendations().stream().anyMatch(r -> List.of(fragments).stream().allMatch(r::contains)),
                "no recommendation with " + List.of(fragments) + " in " + findings.recommendations());
    }

    private static String queueConsumer(String queueProperties, int timeout, String eventProperties) {
        return """
                Queue:
                  Type: AWS::SQS::Queue
                  Properties:
                %s
                Consumer:
                  Type: AWS::Serverless::Function
                  Properties:
                    Timeout: %d
                    Events:
                      Work:
                        Type: SQS
                        Properties:
                          Queue: !GetAtt Queue.Arn
                %s
                """.formatted(queueProperties.indent(4).stripTrailing(), timeout, eventProperties.indent(10).stripTrailing());
    }

    @Test
    void aQueueMustStayHiddenAsLongAsItsFunctionMayRun() {
        DeployRules.Findings findings = check(queueConsumer("MessageRetentionPeriod: 60", 60, "BatchSize: 5"));
        assertViolation(findings, "Consumer.Events.Work (SQS)", "queue Queue", "30 s, the SQS default", "Timeout 60 s");
        assertViolation(check(queueConsumer("VisibilityTimeout: 59", 60, "BatchSize: 5")), "VisibilityTimeout 59 s");
        assertTrue(check(queueConsumer("VisibilityTimeout: 360", 60, "BatchSize: 5")).violations().isEmpty());
    }

    @Test
    void aVisibilityUnderSixTimesTheTimeoutIsOnlyARecommendation() {
        DeployRules.Findings findings = check(queueConsumer("VisibilityTimeout: 60", 60,
                "BatchSize: 5\nMaximumBatchingWindowInSeconds: 2"));
        assertTrue(findings.violations().isEmpty(), findings.violations().toString());
        assertRecommendation(findings, "Queue", "six times", "(362 s)");
        assertTrue(check(queueConsumer("VisibilityTimeout: 362", 60, "BatchSize: 5\nMaximumBatchingWindowInSeconds: 2"))
                .recommendations().isEmpty());
    }

    @Test
    void sqsBatchesStayWithinLambdasLimits() {
        String visible = "VisibilityTimeout: 60";
        assertViolation(check(queueConsumer(visible, 10, "BatchSize: 0")), "BatchSize 0", "1 to 10,000");
        assertViolation(check(queueConsumer(visible, 10, "BatchSize: 10001\nMaximumBatchingWindowInSeconds: 1")),
                "BatchSize 10001");
        assertViolation(check(queueConsumer(visible, 10, "BatchSize: 100")), "BatchSize 100 without", "at least 1 s");
        assertTrue(check(queueConsumer(visible, 10, "BatchSize: 100\nMaximumBatchingWindowInSeconds: 1")).violations().isEmpty());
        assertViolation(check(queueConsumer(visible, 10, "MaximumBatchingWindowInSeconds: 301")), "301", "0 to 300 s");
        assertViolation(check(queueConsumer(visible, 10, "ScalingConfig:\n  MaximumConcurrency: 1")),
                "MaximumConcurrency 1", "2 to 1,000");
        assertViolation(check(queueConsumer(visible + "\nFifoQueue: true", 10, "BatchSize: 11")), "BatchSize 11", "FIFO");
        assertViolation(check(queueConsumer(visible + "\nFifoQueue: true", 10, "MaximumBatchingWindowInSeconds: 1")),
                "FIFO queue takes no batching window");
    }

    @Test
    void parameterValuesAreChecked() {
        assertViolation(check(queueConsumer("VisibilityTimeout: 60", 10, "BatchSize: !Ref Size"), Map.of("Size", "20000")),
                "BatchSize 20000");
        assertTrue(check(queueConsumer("VisibilityTimeout: 60", 10, "BatchSize: !Ref Size"), Map.of("Size", "10"))
                .violations().isEmpty());
    }

    private static String streamConsumer(String eventProperties) {
        return """
                Table:
                  Type: AWS::DynamoDB::Table
                  Properties:
                    StreamSpecification:
                      StreamViewType: NEW_IMAGE
                Failures:
                  Type: AWS::SQS::Queue
                  Properties:
                    FifoQueue: true
                Reader:
                  Type: AWS::Serverless::Function
                  Properties:
                    Events:
                      Changes:
                        Type: DynamoDB
                        Properties:
                          Stream: !GetAtt Table.StreamArn
                %s
                """.formatted(eventProperties.indent(10).stripTrailing());
    }

    @Test
    void streamSourcesStayWithinLambdasLimitsAndShouldKeepWhatTheyDrop() {
        DeployRules.Findings fine = check(streamConsumer("StartingPosition: LATEST\nBatchSize: 100"));
        assertTrue(fine.violations().isEmpty(), fine.violations().toString());
        assertRecommendation(fine, "OnFailure destination", "Reader.Events.Changes (DynamoDB)");
        assertViolation(check(streamConsumer("BatchSize: 100")), "StartingPosition missing");
        assertViolation(check(streamConsumer("StartingPosition: AT_TIMESTAMP")), "StartingPosition AT_TIMESTAMP");
        assertViolation(check(streamConsumer("StartingPosition: LATEST\nBatchSize: 10001")), "BatchSize 10001");
        assertViolation(check(streamConsumer("StartingPosition: LATEST\nMaximumRetryAttempts: -2")), "MaximumRetryAttempts -2");
        assertViolation(check(streamConsumer("StartingPosition: LATEST\nMaximumRecordAgeInSeconds: 30")),
                "MaximumRecordAgeInSeconds 30");
        assertViolation(check(streamConsumer("StartingPosition: LATEST\nParallelizationFactor: 11")), "ParallelizationFactor 11");
        assertViolation(check(streamConsumer("StartingPosition: LATEST\nMaximumBatchingWindowInSeconds: 301")), "301");
        assertViolation(check(streamConsumer("StartingPosition: LATEST\nTumblingWindowInSeconds: 901")), "901");
        DeployRules.Findings fifo = check(streamConsumer(
                "StartingPosition: LATEST\nDestinationConfig:\n  OnFailure:\n    Type: SQS\n    Destination: !GetAtt Failures.Arn"));
        assertViolation(fifo, "OnFailure destination Failures is a FIFO queue");
        assertTrue(fifo.recommendations().isEmpty(), fifo.recommendations().toString());
    }

    @Test
    void snapStartNeedsAPublishedVersion() {
        String function = """
                Fn:
                  Type: AWS::Serverless::Function
                  Properties:
                    SnapStart:
                      ApplyOn: PublishedVersions
                """;
        assertViolation(check(function), "Fn: SnapStart", "AutoPublishAlias", "$LATEST");
        assertTrue(check(function + "    AutoPublishAlias: live\n").violations().isEmpty());
    }

    @Test
    void functionTimeoutAndMemoryStayWithinLambdasLimits() {
        assertViolation(check("Fn:\n  Type: AWS::Serverless::Function\n  Properties:\n    Timeout: 901\n"), "Fn: Timeout 901");
        assertViolation(check("Fn:\n  Type: AWS::Serverless::Function\n  Properties:\n    MemorySize: 64\n"), "Fn: MemorySize 64");
    }

    @Test
    void alarmsShouldNotifySomeone() {
        String alarm = """
                Quiet:
                  Type: AWS::CloudWatch::Alarm
                  Properties:
                    Namespace: AWS/SQS
                    MetricName: NumberOfMessagesSent
                """;
        assertRecommendation(check(alarm), "alarm actions on Quiet");
        assertTrue(check(alarm + "    AlarmActions: [arn:aws:sns:us-east-1:000000000000:alarms]\n")
                .recommendations().isEmpty());
    }

    @Test
    void theProjectTemplateDeploysWithNothingToRecommend() throws IOException {
        DeployRules.Findings findings = DeployRules.check(SamTemplate.parse(projectTemplate()), Map.of());
        assertEquals(List.of(), findings.violations());
        assertEquals(List.of(), findings.recommendations());
    }

    /** The project's template as it was before issue 11: the dead-letter queue at SQS's default visibility. */
    private static String withDeadLetterQueueAtTheDefaultVisibility() throws IOException {
        String template = projectTemplate();
        String fixed = "      VisibilityTimeout: 360\n";
        assertTrue(template.contains(fixed), "the DLQ's visibility line moved: update this test");
        return template.replace(fixed, "");
    }

    @Test
    void theOldTemplateIsRefusedForItsDeadLetterQueue() throws IOException {
        DeployRules.Findings findings = DeployRules.check(SamTemplate.parse(withDeadLetterQueueAtTheDefaultVisibility()),
                Map.of());
        assertViolation(findings, "DeadLetterFunction.Events.DeadLetters (SQS)", "queue DeadLetterQueue",
                "30 s, the SQS default", "DeadLetterFunction's Timeout 60 s");
    }

    @Test
    void theLocalCloudRefusesToStartATemplateThatWouldNotDeploy() throws IOException {
        Path directory = Files.createTempDirectory("broken-stack");
        Path template = directory.resolve("template.yaml");
        Files.writeString(template, withDeadLetterQueueAtTheDefaultVisibility(), StandardCharsets.UTF_8);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LocalCloud.start(
                TestClouds.longhaulOptions(Map.of()).template(template).emulators(Emulators.shared())
                        .stackName("refused").build()));
        assertTrue(refused.getMessage().startsWith("The template would not deploy"), refused.getMessage());
        assertTrue(refused.getMessage().contains("queue DeadLetterQueue has VisibilityTimeout 30 s"), refused.getMessage());
    }

    private static String projectTemplate() throws IOException {
        return Files.readString(TestClouds.repositoryRoot().resolve("template.yaml"), StandardCharsets.UTF_8);
    }
}
