package dev.longhaul.core.port;

/** Source of new task ids. */
public interface IdSource {
    String newId();
}
