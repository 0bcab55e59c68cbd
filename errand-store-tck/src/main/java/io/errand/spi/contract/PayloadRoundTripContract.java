package io.errand.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.errand.api.Errand;
import io.errand.api.PayloadEncodingException;
import io.errand.api.QueueSpec;
import io.errand.api.TaskInfo;
import io.errand.api.TaskQuery;
import io.errand.api.TaskQueue;
import io.errand.api.TaskResult;
import io.errand.api.TaskStatus;
import io.errand.spi.TaskStore;
import io.errand.spi.contract.Payloads.Address;
import io.errand.spi.contract.Payloads.Envelope;
import io.errand.spi.contract.Payloads.Holder;
import io.errand.spi.contract.Payloads.Opaque;
import io.errand.spi.contract.Payloads.Order;
import io.errand.spi.contract.Payloads.Receipt;
import io.errand.spi.contract.Payloads.Urgency;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Arguments and results round-trip the same on every store, through the Errand's
 * {@code ObjectMapper}: a store module runs it by extending this class. Records, {@code Instant}
 * (to the nanosecond), {@code Optional}, enums, nested lists, {@code LocalDate},
 * {@code Duration} and an {@code OffsetDateTime} (its offset kept) come back equal to what was
 * submitted and returned, through the typed handle and the by-name reads alike; what cannot be
 * written is refused at the submit, naming where in the value it is.
 */
public abstract class PayloadRoundTripContract {
  private static final Order ORDER = new Order("o-1",
      Instant.parse("2026-03-01T10:15:30.123456789Z"), Optional.of("leave at the door"),
      Urgency.HIGH, List.of(List.of(1, 2), List.of(), List.of(3)),
      List.of(new Address("1 Main St", List.of("Flat 2", "Back door"))),
      LocalDate.parse("2026-03-05"), Duration.ofMinutes(90),
      OffsetDateTime.parse("2026-03-01T11:15:30+01:00"),
      Map.of("packed", Instant.parse("2026-03-01T12:00:00Z")));

  private final List<Errand> opened = new ArrayList<>();

  /** A new, empty store; each test opens an Errand of its own on one. */
  protected abstract TaskStore newStore();

  /** Closes the Errands the test opened (a subclass dropping its database calls it first). */
  @AfterEach
  protected void closeErrands() {
    opened.forEach(Errand::close);
    opened.clear();
  }

  private Errand open(ObjectMapper mapper, QueueSpec<?, ?>... queues) {
    Errand.Builder b = Errand.builder().store(newStore()).shutdownGrace(Duration.ofSeconds(5));
    if (mapper != null) {
      b.objectMapper(mapper);
    }
    for (QueueSpec<?, ?> q : queues) {
      b.queue(q);
    }
    Errand errand = b.build();
    opened.add(errand);
    return errand;
  }

  private static <T> T done(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }

  private static Receipt receiptOf(Order o) {
    return new Receipt(o.id(), o.placedAt().plusSeconds(1), Optional.empty(),
        List.of(o.urgency(), Urgency.LOW), o.addresses().get(0));
  }

  @Test
  void typedArgsAndResultsComeBackEqualToWhatWasSubmittedAndReturned() throws Exception {
    List<Order> seen = new CopyOnWriteArrayList<>();
    QueueSpec<Order, Receipt> spec = QueueSpec.builder("orders", Order.class, Receipt.class,
        ctx -> {
          seen.add(ctx.args());
          return receiptOf(ctx.args());
        }).build();
    Errand errand = open(null, spec);
    TaskQueue<Order, Receipt> orders = errand.queue(spec);

    long id = orders.submit(ORDER);
    TaskResult<Order, Receipt> done = done(orders.await(id));

    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(seen).containsExactly(ORDER);
    assertThat(done.args()).isEqualTo(ORDER);
    assertThat(done.result()).isEqualTo(receiptOf(ORDER));
    assertThat(done.resultOrThrow().retries()).isEmpty();
    TaskInfo byName = errand.get(id).orElseThrow();
    assertThat(byName.args()).isEqualTo(ORDER);
    assertThat(byName.response()).isEqualTo(receiptOf(ORDER));
    assertThat(orders.get(id).orElseThrow().result()).isEqualTo(receiptOf(ORDER));
  }

  @Test
  void theTaskKeepsACopyNotTheCallersObject() throws Exception {
    List<String> lines = new ArrayList<>(List.of("first"));
    Order mutable = new Order("o-2", ORDER.placedAt(), Optional.empty(), Urgency.LOW,
        List.of(), List.of(new Address("2 Side St", lines)), ORDER.due(), ORDER.window(),
        ORDER.local(), Map.of());
    List<Order> seen = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    QueueSpec<Order, Void> spec = QueueSpec.builder("orders", Order.class, Void.class, ctx -> {
      go.await();
      seen.add(ctx.args());
      return null;
    }).build();
    Errand errand = open(null, spec);
    TaskQueue<Order, Void> orders = errand.queue(spec);

    long id = orders.submit(mutable);
    lines.add("added after the submit");
    go.countDown();
    TaskResult<Order, Void> done = done(orders.await(id));

    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(done.result()).isNull();
    assertThat(seen.get(0).addresses().get(0).lines()).containsExactly("first");
    assertThat(done.args().addresses().get(0).lines()).containsExactly("first");
  }

  @Test
  void aQueueWithoutAResultTypeGivesPlainJsonValuesOnEveryStore() throws Exception {
    QueueSpec<Order, Receipt> spec = QueueSpec.builder("orders", Order.class,
        ctx -> receiptOf(ctx.args())).build();
    Errand errand = open(null, spec);

    long id = errand.submit("orders", ORDER);
    TaskInfo done = done(errand.await(id));

    Map<String, Object> plain = new java.util.LinkedHashMap<>();
    plain.put("orderId", "o-1");
    plain.put("at", "2026-03-01T10:15:31.123456789Z"); // ISO-8601 text, to the nanosecond
    plain.put("retries", null); // an empty Optional
    plain.put("seen", List.of("HIGH", "LOW"));
    plain.put("shippedTo", Map.of("street", "1 Main St", "lines", List.of("Flat 2", "Back door")));
    assertThat(done.response()).isEqualTo(plain);
    assertThat(done.result(Receipt.class)).isEqualTo(receiptOf(ORDER));
  }

  @Test
  void argsThatCannotBeWrittenAreRefusedAtTheSubmitNamingWhere() {
    QueueSpec<Envelope, Void> spec = QueueSpec.builder("envelopes", Envelope.class, Void.class,
        ctx -> null).build();
    Errand errand = open(null, spec);
    Envelope bad = new Envelope(List.of(new Holder("fine", "text"),
        new Holder("opaque", new Opaque())));

    assertThatThrownBy(() -> errand.queue(spec).submit(bad))
        .isInstanceOfSatisfying(PayloadEncodingException.class, e -> {
          assertThat(e.path()).isEqualTo("holders[1].payload");
          assertThat(e.valueType()).isEqualTo(Envelope.class.getName());
          assertThat(e.reason()).contains(Opaque.class.getName());
          assertThat(e.code()).isEqualTo("invalid_task");
        })
        .hasMessageContaining("the arguments of a task of queue 'envelopes'")
        .hasMessageContaining("at holders[1].payload");
    assertThat(errand.list(TaskQuery.newest(10)).items()).isEmpty();
  }

  @Test
  void aResultThatCannotBeWrittenFailsItsTaskSayingWhere() throws Exception {
    QueueSpec<String, Holder> spec = QueueSpec.builder("holders", String.class, Holder.class,
        ctx -> new Holder(ctx.args(), new Opaque())).build();
    Errand errand = open(null, spec);

    long id = errand.submit("holders", "x");
    TaskResult<String, Holder> done = done(errand.queue(spec).await(id));

    assertThat(done.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(done.lastError().orElseThrow().type())
        .isEqualTo(PayloadEncodingException.class.getName());
    assertThat(done.lastError().orElseThrow().message())
        .contains("the result of task " + id, "at payload");
    assertThatThrownBy(done::resultOrThrow).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FAILURE");
  }

  @Test
  void theUsersObjectMapperWritesAndReadsPayloads() throws Exception {
    SimpleModule opaque = new SimpleModule()
        .addSerializer(Opaque.class, new JsonSerializer<>() {
          @Override
          public void serialize(Opaque value, JsonGenerator gen, SerializerProvider p)
              throws IOException {
            gen.writeString("opaque!");
          }
        })
        .addDeserializer(Opaque.class, new JsonDeserializer<>() {
          @Override
          public Opaque deserialize(JsonParser p, DeserializationContext c) throws IOException {
            if (!"opaque!".equals(p.getValueAsString())) {
              throw new IOException("not an Opaque: " + p.getValueAsString());
            }
            return new Opaque();
          }
        });
    ObjectMapper mapper = JsonMapper.builder().addModule(new JavaTimeModule())
        .addModule(new Jdk8Module()).addModule(opaque).build();
    List<Object> seen = new CopyOnWriteArrayList<>();
    QueueSpec<Envelope, Opaque> spec = QueueSpec.builder("envelopes", Envelope.class,
        Opaque.class, ctx -> {
          seen.add(ctx.args().holders().get(1).payload());
          return new Opaque();
        }).build();
    Errand errand = open(mapper, spec);

    long id = errand.queue(spec).submit(new Envelope(List.of(new Holder("fine", "text"),
        new Holder("opaque", new Opaque()))));
    TaskResult<Envelope, Opaque> done = done(errand.queue(spec).await(id));

    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(seen).containsExactly("opaque!"); // a Holder's payload is an Object: plain JSON
    assertThat(done.result()).isInstanceOf(Opaque.class);
  }
}
