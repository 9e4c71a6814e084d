package dev.longhaul.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.emulators.SamTemplate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local cloud's parts that need no cloud: tokens, routes, schedules, filters, the command line. */
class RuntimePartsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void tokenCommandMintsATokenTheAuthorizerAccepts() {
        String token = CommandLine.token(new String[] {"token", "alice"}, Map.of());
        Map<String, Object> claims = new Jwt(Jwt.DEVELOPMENT_SECRET).verify(token, Jwt.LOCAL_ISSUER,
                List.of(Jwt.LOCAL_AUDIENCE), Instant.now());
        assertEquals("alice", claims.get("sub"));
        long lifetime = ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
        assertEquals(Duration.ofHours(12).toSeconds(), lifetime);
        String withEnvironmentSecret = CommandLine.token(new String[] {"token", "bob"}, Map.of("LONGHAUL_JWT_SECRET", "s3"));
        assertThrows(Jwt.InvalidTokenException.class, () -> new Jwt(Jwt.DEVELOPMENT_SECRET)
                .verify(withEnvironmentSecret, null, List.of(), Instant.now()));
    }

    @Test
    void templateMetadataGivesLocalParameterDefaultsThatOverridesBeat() {
        SamTemplate template = SamTemplate.parse("""
                Parameters:
                  AllowPrivate: {Type: String, Default: "false"}
                  Other: {Type: String, Default: "x"}
                Metadata:
                  Longhaul::LocalCloud:
                    ParameterDefaults:
                      AllowPrivate: "true"
                Resources: {}
                """);
        assertEquals(Map.of("AllowPrivate", "true"), Deployment.localParameterDefaults(template, Map.of()));
        assertEquals(Map.of(), Deployment.localParameterDefaults(template, Map.of("AllowPrivate", "false")));
        assertEquals(Map.of(), Deployment.localParameterDefaults(SamTemplate.parse("Resources: {}"), Map.of()));
        SamTemplate unknown = SamTemplate.parse("""
                Metadata:
                  Longhaul::LocalCloud:
                    ParameterDefaults: {Missing: "1"}
                Resources: {}
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Deployment.localParameterDefaults(unknown, Map.of()));
        assertTrue(e.getMessage().contains("Missing"), e.getMessage());
    }

    @Test
    void refusesAlgNone() {
        String unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6OTk5OTk5OTk5OX0.";
        assertThrows(Jwt.InvalidTokenException.class, () -> new Jwt("x").verify(unsigned, null, List.of(), NOW));
    }

    @Test
    void routesPreferLiteralsThenParametersThenGreedy() {
        LocalFunction none = null;
        Route greedy = new Route("api", "ANY", "/v1/{proxy+}", none, null, List.of(), Duration.ofSeconds(30));
        Route parameter = new Route("api", "GET", "/v1/tasks/{id}", none, null, List.of(), Duration.ofSeconds(30));
        Route literal = new Route("api", "GET", "/v1/tasks/mine", none, null, List.of(), Duration.ofSeconds(30));
        List<Route> sorted = List.of(greedy, parameter, literal).stream().sorted(Route.precedence()).toList();
        assertEquals(List.of(literal, parameter, greedy), sorted);
        assertEquals(Map.of("id", "42"), parameter.match(Route.segments("/v1/tasks/42")).orElseThrow());
        assertFalse(parameter.match(Route.segments("/v1/tasks/42/result")).isPresent());
        assertEquals(Map.of("proxy", "tasks/42/result"), greedy.match(Route.segments("/v1/tasks/42/result")).orElseThrow());
        assertFalse(greedy.match(Route.segments("/v1")).isPresent());
    }

    @Test
    void schedulesFollowEventBridgeExpressions() {
        ZoneId utc = ZoneId.of("UTC");
        ScheduleExpression rate = ScheduleExpression.parse("rate(5 minutes)", utc);
        assertEquals(NOW.plusSeconds(300), rate.next(NOW, NOW).orElseThrow());
        assertEquals(NOW.plusSeconds(600), rate.next(NOW.plusSeconds(300), NOW).orElseThrow());
        // 2026-11-25 is a Wednesday: the next weekday noon is the same day, the next Sunday 10:15 is the 29th.
        assertEquals(Instant.parse("2026-11-25T12:00:00Z"),
                ScheduleExpression.parse("cron(0 12 ? * MON-FRI *)", utc).next(NOW, NOW).orElseThrow());
        assertEquals(Instant.parse("2026-11-29T10:15:00Z"),
                ScheduleExpression.parse("cron(15 10 ? * 1 *)", utc).next(NOW, NOW).orElseThrow());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"),
                ScheduleExpression.parse("cron(0 0 1 * ? *)", utc).next(NOW, NOW).orElseThrow());
        assertEquals(Instant.parse("2026-11-25T08:10:00Z"),
                ScheduleExpression.parse("cron(0/10 * * * ? *)", utc).next(NOW, NOW).orElseThrow());
        assertTrue(ScheduleExpression.parse("at(2026-01-01T00:00:00)", utc).next(NOW, NOW).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 12 L * ? *)", utc));
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 12 * * * *)", utc));
    }

    @Test
    void filtersMatchLikeLambda() {
        EventFilter filter = EventFilter.of(Map.of("Filters", List.of(
                Map.of("Pattern", "{\"eventName\": [\"REMOVE\"], \"userIdentity\": {\"type\": [\"Service\"]}}"),
                Map.of("Pattern", "{\"body\": {\"kind\": [{\"prefix\": \"urgent\"}], \"n\": [{\"numeric\": [\">\", 5]}]}}"))));
        assertTrue(filter.matches(Map.of("eventName", "REMOVE", "userIdentity", Map.of("type", "Service"))));
        assertFalse(filter.matches(Map.of("eventName", "REMOVE")));
        assertFalse(filter.matches(Map.of("eventName", "INSERT", "userIdentity", Map.of("type", "Service"))));
        assertTrue(filter.matches(Map.of("body", "{\"kind\": \"urgent-7\", \"n\": 6}")));
        assertFalse(filter.matches(Map.of("body", "{\"kind\": \"urgent-7\", \"n\": 5}")));
        assertFalse(filter.matches(Map.of("body", "not json")));
        assertTrue(EventFilter.of(null).matches(Map.of()));
    }
}
