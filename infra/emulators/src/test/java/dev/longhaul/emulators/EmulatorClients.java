package dev.longhaul.emulators;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients for the tests, pointed at the emulators; production code builds its own in the AWS module. */
final class EmulatorClients {

    private final Emulators emulators;
    private final SdkHttpClient httpClient = UrlConnectionHttpClient.create();

    EmulatorClients(Emulators emulators) {
        this.emulators = emulators;
    }

    DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .httpClient(httpClient)
                .region(region())
                .credentialsProvider(credentials())
                .endpointOverride(emulators.dynamoDbEndpoint())
                .build();
    }

    SqsClient sqs() {
        return SqsClient.builder()
                .httpClient(httpClient)
                .region(region())
                .credentialsProvider(credentials())
                .endpointOverride(emulators.sqsEndpoint())
                .build();
    }

    S3Client s3() {
        return S3Client.builder()
                .httpClient(httpClient)
                .region(region())
                .credentialsProvider(credentials())
                .endpointOverride(emulators.s3Endpoint())
                .forcePathStyle(true)
                .build();
    }

    KmsClient kms() {
        return KmsClient.builder()
                .httpClient(httpClient)
                .region(region())
                .credentialsProvider(credentials())
                .endpointOverride(emulators.kmsEndpoint())
                .build();
    }

    S3Presigner presigner() {
        return S3Presigner.builder()
                .region(region())
                .credentialsProvider(credentials())
                .endpointOverride(emulators.s3Endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    private Region region() {
        return Region.of(emulators.region());
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(emulators.accessKeyId(), emulators.secretAccessKey()));
    }
}
