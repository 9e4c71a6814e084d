package dev.longhaul.core.json;

/** A value that knows its JSON form (maps, lists and scalars understood by {@link Json}). */
public interface JsonWritable {
    Object toJson();
}
