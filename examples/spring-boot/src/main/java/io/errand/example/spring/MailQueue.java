package io.errand.example.spring;

import io.errand.api.Backoff;
import io.errand.api.Errand;
import io.errand.api.QueueSpec;
import io.errand.api.TaskQueue;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's one queue, declared as a bean: the starter builds the Errand with every
 * {@link QueueSpec} bean it finds. The typed {@link TaskQueue} handle is a bean too, for the
 * controller.
 */
@Configuration(proxyBeanMethods = false)
public class MailQueue {
  /** Made by Spring. */
  public MailQueue() {}

  /**
   * The {@code mail} queue: four workers, three attempts a minute apart at most, 30 s each.
   *
   * @param outbox where mails are sent
   * @return the queue's spec
   */
  @Bean
  public QueueSpec<Mail, String> mail(Outbox outbox) {
    return QueueSpec.builder("mail", Mail.class, String.class, ctx -> {
          ctx.progress(0, 1, "sending to " + ctx.args().to());
          outbox.send(ctx.args());
          return "sent to " + ctx.args().to();
        })
        .workers(4)
        .attempts(3)
        .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1), 0.2))
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * The typed handle on the {@code mail} queue: submits take a {@link Mail}, results read as
   * {@code String}.
   *
   * @param errand the application's Errand
   * @param mail   the queue's spec
   * @return the handle
   */
  @Bean
  public TaskQueue<Mail, String> mails(Errand errand, QueueSpec<Mail, String> mail) {
    return errand.queue(mail);
  }
}
