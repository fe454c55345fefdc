package io.devk8s.service;

import java.nio.file.Path;

/** A file {@code render --out} wrote: which component, where, how many documents. */
public record WrittenFile(String component, Path path, int documents) {}
