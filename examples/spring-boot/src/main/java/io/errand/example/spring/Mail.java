package io.errand.example.spring;

/**
 * A mail to send: the task's arguments, stored as JSON.
 *
 * @param to      the address
 * @param subject the subject line
 */
public record Mail(String to, String subject) {}
