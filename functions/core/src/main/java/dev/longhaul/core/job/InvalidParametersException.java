package dev.longhaul.core.job;

import java.util.List;

/** Parameters a job refuses, with every bad field named. */
public final class InvalidParametersException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<FieldError> errors;

    public InvalidParametersException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid parameters" : errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
