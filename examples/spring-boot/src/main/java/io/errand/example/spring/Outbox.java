package io.errand.example.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The example's stand-in for a mail server: sending takes {@code example.send-time} (default
 * 1 s) and records the mail. A real application would call its SMTP client here.
 */
@Component
public class Outbox {
  private final Duration sendTime;
  private final List<Mail> sent = new CopyOnWriteArrayList<>();

  /**
   * An outbox whose sends take {@code sendTime}.
   *
   * @param sendTime how long one send takes
   */
  public Outbox(@Value("${example.send-time:1s}") Duration sendTime) {
    this.sendTime = sendTime;
  }

  /**
   * Sends {@code mail}; interrupted (a cancel, a time-out) it stops and sends nothing.
   *
   * @param mail the mail
   * @throws InterruptedException if the task is stopped while sending
   */
  public void send(Mail mail) throws InterruptedException {
    Thread.sleep(sendTime);
    sent.add(mail);
  }

  /** The mails sent by this process, oldest first. */
  public List<Mail> sent() {
    return List.copyOf(sent);
  }
}
