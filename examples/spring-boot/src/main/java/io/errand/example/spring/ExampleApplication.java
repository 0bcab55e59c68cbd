package io.errand.example.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application that sends mails in the background: {@code POST /mails} takes one and
 * answers at once with its task's id, {@code GET /mails/{id}} tells how it went. The Errand, its
 * SQLite store and its drain at shutdown all come from {@code errand-spring-boot-starter}; this
 * application declares only its queue ({@link MailQueue}) and its controller.
 */
@SpringBootApplication
public class ExampleApplication {
  /** Made by Spring. */
  public ExampleApplication() {}

  /**
   * Runs the application until it is stopped (SIGTERM or Ctrl-C drains the running mails).
   *
   * @param args Spring Boot's arguments, such as {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
