package dev.sluice.platform.entity;

/**
 * Bad input from a client: the message names what is wrong. Mapped to {@code 400 {"error": "..."}} at the boundary.
 */
public class InvalidInput extends RuntimeException {

    public InvalidInput(String message) {
        super(message);
    }
}
