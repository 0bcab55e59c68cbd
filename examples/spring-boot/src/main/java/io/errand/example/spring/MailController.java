package io.errand.example.spring;

import io.errand.api.InvalidTaskException;
import io.errand.api.QueueFullException;
import io.errand.api.ShuttingDownException;
import io.errand.api.TaskQueue;
import io.errand.api.TaskResult;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's own HTTP API: it takes mails and answers at once, the sending happens in the
 * background.
 */
@RestController
public class MailController {
  private final TaskQueue<Mail, String> mails;

  /**
   * A controller submitting to {@code mails}.
   *
   * @param mails the typed mail queue
   */
  public MailController(TaskQueue<Mail, String> mails) {
    this.mails = mails;
  }

  /**
   * Takes a mail to send: 202 with the task's id and its address, or 400 naming what is wrong.
   *
   * @param mail the mail, as JSON {@code {"to": ..., "subject": ...}}
   * @return the accepted task
   */
  @PostMapping("/mails")
  public ResponseEntity<Map<String, Object>> send(@RequestBody Mail mail) {
    if (mail.to() == null || !mail.to().contains("@")) {
      return ResponseEntity.badRequest().body(Map.of("error",
          "to must be an e-mail address, was " + (mail.to() == null ? "missing"
              : "'" + mail.to() + "'")));
    }
    long id = mails.submit(mail);
    return ResponseEntity.accepted().location(URI.create("/mails/" + id))
        .body(Map.of("id", id));
  }

  /**
   * How the mail's task stands: its status, and its result once sent; 404 if unknown.
   *
   * @param id the task's id
   * @return status, result and the last error, if any
   */
  @GetMapping("/mails/{id}")
  public ResponseEntity<Map<String, Object>> status(@PathVariable("id") long id) {
    return mails.get(id).<ResponseEntity<Map<String, Object>>>map(r -> ResponseEntity.ok(
            view(r)))
        .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
            .body(Map.of("error", "no mail task " + id)));
  }

  private static Map<String, Object> view(TaskResult<Mail, String> r) {
    return Map.of("id", r.id(), "status", r.status().name(),
        "result", r.result() == null ? "" : r.result(),
        "error", r.lastError().map(e -> e.message()).orElse(""));
  }

  /** 503 while the application drains, or when the queue is full: try again later. */
  @ExceptionHandler({ShuttingDownException.class, QueueFullException.class})
  ResponseEntity<Map<String, Object>> unavailable(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(Map.of("error", e.getMessage()));
  }

  /** 400 for a mail Errand refuses (one it cannot write as JSON). */
  @ExceptionHandler(InvalidTaskException.class)
  ResponseEntity<Map<String, Object>> invalid(InvalidTaskException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }
}
