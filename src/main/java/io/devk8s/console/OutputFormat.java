package io.devk8s.console;

/** How a command prints its data: aligned text for people, or one JSON or YAML document for scripts. */
public enum OutputFormat { text, json, yaml }
