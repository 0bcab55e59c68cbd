package io.errand.example.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The example's stand-in for a mail server: sending takes {@code example.send-time} (default
 * 1 s) and records the mail. A real application would call its SMTP client here.
 *
 * <p>For the example's own tests, {@code example.send-gate} names a file: each send then also
 * waits until that file exists, so a test decides exactly when a send may end.
 */
@Component
public class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final Duration GATE_POLL = Duration.ofMillis(20);

  private final Duration sendTime;
  private final Path gate;
  private final List<Mail> sent = new CopyOnWriteArrayList<>();

  /**
   * An outbox whose sends take {@code sendTime}, and wait for {@code gate} when it is set.
   *
   * @param sendTime how long one send takes
   * @param gate     a file each send waits for before it ends; empty for none
   */
  public Outbox(@Value("${example.send-time:1s}") Duration sendTime,
      @Value("${example.send-gate:}") String gate) {
    this.sendTime = sendTime;
    this.gate = gate.isBlank() ? null : Path.of(gate);
  }

  /**
   * Sends {@code mail}; interrupted (a cancel, a time-out) it stops and sends nothing.
   *
   * @param mail the mail
   * @throws InterruptedException if the task is stopped while sending
   */
  public void send(Mail mail) throws InterruptedException {
    Thread.sleep(sendTime);
    if (gate != null) {
      log.info("send to {} waits for {}", mail.to(), gate);
      // A poll, not a WatchService: the test's gate is one file, created once.
      while (!Files.exists(gate)) {
        Thread.sleep(GATE_POLL);
      }
    }
    sent.add(mail);
  }

  /** The mails sent by this process, oldest first. */
  public List<Mail> sent() {
    return List.copyOf(sent);
  }
}
