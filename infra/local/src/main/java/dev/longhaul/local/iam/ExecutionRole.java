package dev.longhaul.local.iam;

import java.util.List;

/**
 * A function's execution role as a deploy of the template creates it: the role SAM generates from
 * the function's {@code Policies} and events (or the template's {@code AWS::IAM::Role} its
 * {@code Role} names), every statement evaluated.
 *
 * @param principalArn what AWS names the caller in a refusal: the role assumed by the function
 */
public record ExecutionRole(String functionId, String roleName, String roleArn, String principalArn,
                            List<Statement> statements) {

    public ExecutionRole {
        statements = List.copyOf(statements);
    }
}
