package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.emulators.Emulators;
import dev.longhaul.local.iam.IamRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two grants issue 11 found missing, taken out of the project's template again: the sweeper's
 * {@code dynamodb:GetItem} and the worker's {@code s3:ListBucket}. The local cloud must fail both
 * paths the way AWS fails them, and its log must name the function, the action, the resource and
 * the role. (Its calls go to a recorder of its own, not to IamConformanceTest's.)
 */
class MissingGrantsTest {

    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static final IamRecorder CALLS = new IamRecorder();
    private static DrivenCloud driven;

    @BeforeAll
    static void start() throws IOException {
        Path directory = Files.createTempDirectory("missing-grants");
        Path template = directory.resolve("template.yaml");
        Files.writeString(template, withoutTheTwoGrants(), StandardCharsets.UTF_8);
        PrintStream both = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                LOG.write(b);
                System.out.write(b);
            }
        }, true, StandardCharsets.UTF_8);
        driven = new DrivenCloud(TestClouds.longhaulOptions(Map.of()).template(template).emulators(Emulators.shared())
                .stackName("weakened").iamRecorder(CALLS).out(both));
    }

    @AfterAll
    static void stop() {
        driven.cloud().close();
    }

    /** The project's template with the sweeper's GetItem and the worker's ListBucket statement removed. */
    static String withoutTheTwoGrants() throws IOException {
        String template = Files.readString(TestClouds.repositoryRoot().resolve("template.yaml"), StandardCharsets.UTF_8);
        template = TemplateText.withoutLine(template, "SweeperFunction", "- dynamodb:GetItem");
        template = TemplateText.withoutStatement(template, "WorkerFunction", "- s3:ListBucket");
        return TemplateText.withAbsoluteCodeUris(template, TestClouds.repositoryRoot());
    }

    @Test
    void theSweeperCannotReadTheTasksItFinds() {
        String id = driven.create("weak-sweep-" + System.nanoTime());
        driven.lose(id);

        Invocation sweep = driven.sweep();
        assertEquals("software.amazon.awssdk.services.dynamodb.model.DynamoDbException", sweep.errorType(),
                sweep.outputText());
        String table = "arn:aws:dynamodb:us-east-1:000000000000:table/weakened-TasksTable";
        assertTrue(sweep.errorMessage().startsWith("User: arn:aws:sts::000000000000:assumed-role/weakened-SweeperFunctionRole/"
                + "weakened-SweeperFunction is not authorized to perform: dynamodb:GetItem on resource: " + table
                + " because no identity-based policy allows the dynamodb:GetItem action (Service: DynamoDb, Status Code: 400"),
                sweep.errorMessage());
        assertTrue(log().contains("IAM: SweeperFunction denied dynamodb:GetItem on " + table + " (DynamoDb.GetItem);"
                + " role arn:aws:iam::000000000000:role/weakened-SweeperFunctionRole: no statement of the role allows it"), log());
    }

    @Test
    void aRetriedAttemptCannotTellThatNoResultWasStored() {
        String owner = "weak-retry-" + System.nanoTime();
        String id = driven.create(owner);
        driven.crashedAttempt(id);

        driven.deliver(id, "WorkerFunction", "WorkQueue");
        Map<String, Object> task = driven.task(owner, id);
        assertNotEquals("succeeded", task.get("status"), "S3 answered 403, which the worker reads as a temporary failure: "
                + task);
        String bucket = driven.cloud().stack().physicalId("ResultsBucket");
        assertTrue(log().contains("IAM: WorkerFunction read a missing key of " + bucket + " (results/" + id + ") without"
                + " s3:ListBucket on arn:aws:s3:::" + bucket + ": S3 answers 403 AccessDenied, not 404; role"
                + " arn:aws:iam::000000000000:role/weakened-WorkerFunctionRole"), log());
        List<IamRecorder.Check> denied = CALLS.denials().stream().filter(c -> c.functionId().equals("WorkerFunction")).toList();
        assertEquals(List.of("s3:ListBucket ResultsBucket missing"), denied.stream()
                .map(c -> c.action() + " " + c.resource() + " " + c.phase()).distinct().toList());
    }

    @Test
    void withoutIamTheSameSweepGoesThrough() throws IOException {
        Path template = Files.createTempDirectory("missing-grants-no-iam").resolve("template.yaml");
        Files.writeString(template, withoutTheTwoGrants(), StandardCharsets.UTF_8);
        DrivenCloud unchecked = new DrivenCloud(TestClouds.longhaulOptions(Map.of()).template(template)
                .emulators(Emulators.shared()).stackName("unchecked").iam(false));
        try {
            assertTrue(unchecked.cloud().iam() == null);
            assertTrue(unchecked.cloud().notes().stream().anyMatch(note -> note.startsWith("IAM not enforced (--no-iam)")),
                    unchecked.cloud().notes().toString());
            String id = unchecked.create("unchecked-" + System.nanoTime());
            unchecked.lose(id);
            Invocation sweep = unchecked.sweep();
            assertTrue(!sweep.failed(), "the emulators accept the GetItem the role does not grant: "
                    + sweep.errorType() + ": " + sweep.errorMessage());
        } finally {
            unchecked.cloud().close();
        }
    }

    private static String log() {
        return LOG.toString(StandardCharsets.UTF_8);
    }
}
