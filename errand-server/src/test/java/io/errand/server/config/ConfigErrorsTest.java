package io.errand.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.errand.api.DurationText;
import io.errand.common.SettingException;
import io.errand.server.handler.HandlerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of mistake, each asserting the whole one-line message. */
class ConfigErrorsTest {
  private static final String QUEUE_KEYS = "handler, options, workers, concurrency, "
      + "concurrency_key, per_key_concurrency, rate_limit, per_key_rate_limit, capacity,"
      + " timeout, attempts, retry_after, backoff, cancel_grace, retention, threads, events, next, label,"
      + " process, worker_nums, size, attempt_after, event, name";

  @TempDir
  Path dir;

  @Test
  void unknownQueueKeySuggestsYaosName() throws IOException {
    ConfigException e = error("queues: {mail: {handler: exec, worker_num: 2}}");

    assertThat(e).hasMessage(file() + ": queues.mail.worker_num: unknown key (did you mean"
        + " 'worker_nums'?); known keys here are " + QUEUE_KEYS);
    assertThat(e.file()).isEqualTo(file());
    assertThat(e.path()).isEqualTo("queues.mail.worker_num");
    assertThat(e.problem()).startsWith("unknown key (did you mean 'worker_nums'?)");
  }

  @Test
  void unknownTopLevelKeySuggestsTheClosest() throws IOException {
    assertThat(error("queue: {mail: {handler: exec}}")).hasMessage(file() + ": queue: unknown"
        + " key (did you mean 'queues'?); known keys here are server, store, data_dir,"
        + " plugins_dir, shutdown_grace, retention, queues, supervisors, users, tasks,"
        + " processes, schedules");
  }

  @Test
  void unknownKeyWithoutACloseOneListsTheKnownOnes() throws IOException {
    assertThat(error("server: {colour: blue}\nqueues: {q: {handler: exec}}"))
        .hasMessage(file() + ": server.colour: unknown key; known keys here are bind, port,"
            + " token, max_body");
  }

  @Test
  void valueOutOfRange() throws IOException {
    assertThat(error("queues: {mail: {handler: exec, workers: -3}}"))
        .hasMessage(file() + ": queues.mail.workers: must be between 1 and 100000, was -3");
    assertThat(error("queues: {mail: {handler: exec, size: 0}}"))
        .hasMessage(file() + ": queues.mail.size: must be at least 1, was 0");
    assertThat(error("queues: {mail: {handler: exec, concurrency: 0}}"))
        .hasMessage(file() + ": queues.mail.concurrency: must be at least 1, was 0");
    assertThat(error("queues: {mail: {handler: exec, concurrency: -2}}"))
        .hasMessage(file() + ": queues.mail.concurrency: must be at least 1, was -2");
    assertThat(error("server: {port: 70000}\nqueues: {q: {handler: exec}}"))
        .hasMessage(file() + ": server.port: must be between 0 and 65535, was 70000");
  }

  @Test
  void badFlowLimitsNameTheKeyTheValueAndWhatIsAllowed() throws IOException {
    assertThat(error("queues: {mail: {handler: exec, rate_limit: 100}}"))
        .hasMessage(file() + ": queues.mail.rate_limit: must be <starts>/<period> with starts >= 1"
            + " and a period of at least 1ms, such as 100/1m or 5/1s, was '100'");
    assertThat(error("queues: {mail: {handler: exec, rate_limit: 0/1m}}"))
        .hasMessageContaining("queues.mail.rate_limit: must be <starts>/<period>");
    assertThat(error("queues: {mail: {handler: exec, rate_limit: 10/0s}}"))
        .hasMessageContaining("was '10/0s'");
    assertThat(error("queues: {mail: {handler: exec, concurrency_key: tenant}}"))
        .hasMessage(file() + ": queues.mail.concurrency_key: must be 'key' (the submit's key), "
            + "'args.<field>' or 'args/<JSON pointer>' (a field of the arguments), was 'tenant'");
    assertThat(error("queues: {mail: {handler: exec, per_key_concurrency: 2}}"))
        .hasMessage(file() + ": queues.mail.per_key_concurrency: needs "
            + "queues.mail.concurrency_key (the value it counts per), was 2 without it");
    assertThat(error("queues: {mail: {handler: exec, concurrency_key: args.tenant, "
        + "per_key_concurrency: 0}}"))
        .hasMessage(file() + ": queues.mail.per_key_concurrency: must be at least 1, was 0");
  }

  @Test
  void flowLimitsAreReadIntoTheQueue() throws IOException {
    Files.writeString(file(), "queues: {mail: {handler: exec, concurrency_key: args/account/id,"
        + " per_key_concurrency: 2, rate_limit: 100/1m, per_key_rate_limit: 5/1s}}");
    ServerConfig.QueueConfig q = loader().load(file()).queues().get("mail");
    assertThat(q.flow().key()).isEqualTo(io.errand.api.ConcurrencyKey.argsField("/account/id"));
    assertThat(q.flow().perKey()).isEqualTo(2);
    assertThat(q.flow().rate()).hasToString("100/1m");
    assertThat(q.flow().perKeyRate()).hasToString("5/1s");
  }

  @Test
  void wrongType() throws IOException {
    assertThat(error("queues: {mail: {handler: exec, workers: [1, 2]}}"))
        .hasMessage(file() + ": queues.mail.workers: must be a whole number between 1 and"
            + " 100000, was a list");
    assertThat(error("queues: {mail: {handler: exec, attempts: 2.5}}"))
        .hasMessage(file() + ": queues.mail.attempts: must be a whole number of at least 1,"
            + " was 2.5");
    assertThat(error("queues: [mail]"))
        .hasMessage(file() + ": queues: must be a map of keys, was a list");
    assertThat(error("queues: {mail: {handler: {name: exec}}}"))
        .hasMessage(file() + ": queues.mail.handler: must be text, was a map");
  }

  @Test
  void badDuration() throws IOException {
    assertThat(error("queues: {mail: {handler: exec, timeout: 5 minutes}}"))
        .hasMessage(file() + ": queues.mail.timeout: must be a duration like 250ms, 30s, 5m,"
            + " 2h, 1d or PT30S (a bare number counts seconds), was '5 minutes'");
    assertThat(error("queues: {mail: {handler: exec, cancel_grace: 5}}"))
        .hasMessage(file() + ": queues.mail.cancel_grace: needs a unit: write 5s, 5ms or 5m,"
            + " not a bare number");
    assertThat(error("queues: {mail: {handler: exec, timeout: 0}}"))
        .hasMessage(file() + ": queues.mail.timeout: must be more than zero, was '0'");
    assertThat(error("queues: {mail: {handler: exec, retry_after: -PT1S}}"))
        .hasMessage(file() + ": queues.mail.retry_after: must be zero or more, was '-PT1S'");
  }

  /** No duration in a config is longer than 100 years, the engine's limit: none overflows. */
  @Test
  void aDurationLongerThanAHundredYearsIsRefusedNamingTheRange() throws IOException {
    for (String far : List.of("36526d", "106751991d", "1000000000000000000000ms",
        "PT876601H", "PT9999999999999999999H", "P99999999999999999999D",
        "99999999999999999999999")) {
      assertThat(error("queues: {mail: {handler: exec, timeout: " + far + "}}"))
          .hasMessage(file() + ": queues.mail.timeout: must be more than zero and at most 36525"
              + " days (100 years), was '" + far + "'");
    }
    assertThat(error("queues: {mail: {handler: exec, retry_after: 106751991d}}"))
        .hasMessage(file() + ": queues.mail.retry_after: must be zero or more and at most 36525"
            + " days (100 years), was '106751991d'");
    assertThat(error("shutdown_grace: 1000000000000000000000ms\nqueues: {q: {handler: exec}}"))
        .hasMessage(file() + ": shutdown_grace: must be zero or more and at most 36525 days"
            + " (100 years), was '1000000000000000000000ms'");
    Files.writeString(file(), "queues: {q: {handler: exec, options: {grace: 106751991d}}}");
    var q = loader().load(file()).queues().get("q");
    HandlerSettings options = new HandlerSettings(q.name(), q.pathOf("options"), q.options(),
        dir);
    assertThatThrownBy(() -> options.duration("grace", null))
        .isInstanceOfSatisfying(SettingException.class, s ->
            assertThat(new ConfigException(file(), s)).hasMessage(file() + ": queues.q.options"
                + ".grace: must be zero or more and at most 36525 days (100 years), was"
                + " '106751991d'"));
    assertThatThrownBy(() -> DurationText.parse("1000000000000000000000ms"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'1000000000000000000000ms' is longer than the longest duration taken,"
            + " 36525d (100 years)");
    assertThat(DurationText.parse("36525d")).isEqualTo(java.time.Duration.ofDays(36_525));
  }

  @Test
  void badSize() throws IOException {
    assertThat(error("server: {max_body: -1}\nqueues: {q: {handler: exec}}"))
        .hasMessage(file() + ": server.max_body: must be a size like 1048576, 512KiB, 1MiB or"
            + " 10MB, was -1");
    assertThat(error("server: {max_body: 0}\nqueues: {q: {handler: exec}}"))
        .hasMessage(file() + ": server.max_body: must be at least 1 byte, was 0");
  }

  @Test
  void badEnumValue() throws IOException {
    assertThat(error("queues: {mail: {handler: exec, threads: platfrom}}"))
        .hasMessage(file() + ": queues.mail.threads: must be one of virtual, platform, was"
            + " 'platfrom' (did you mean 'platform'?)");
    assertThat(error("store: {type: mysql}\nqueues: {q: {handler: exec}}"))
        .hasMessage(file() + ": store.type: must be one of sqlite, memory, postgres, was"
            + " 'mysql'");
    assertThat(error("supervisors: {s: {handler: exec, restart: {mode: on-faliure}}}"))
        .hasMessage(file() + ": supervisors.s.restart.mode: must be one of never, on_failure,"
            + " always, was 'on-faliure' (did you mean 'on_failure'?)");
  }

  @Test
  void aStoreBlockSaysOnlyWhatItsTypeUses() throws IOException {
    String queues = "\nqueues: {q: {handler: exec}}";
    assertThat(error("store: {type: postgres}" + queues))
        .hasMessage(file() + ": store.url: is required: the database's JDBC URL, e.g. url:"
            + " jdbc:postgresql://127.0.0.1:5432/errand");
    assertThat(error("store: {type: postgres, url: \"postgres://db/errand\"}" + queues))
        .hasMessage(file() + ": store.url: must be a PostgreSQL JDBC URL starting with"
            + " 'jdbc:postgresql:', e.g. jdbc:postgresql://127.0.0.1:5432/errand");
    assertThat(error("store: {type: postgres, url: \"jdbc:postgresql://db/e\", path: x.db}"
        + queues))
        .hasMessage(file() + ": store.path: only applies to type: sqlite; remove it or use that"
            + " type");
    assertThat(error("store: {url: \"jdbc:postgresql://db/e\"}" + queues))
        .hasMessage(file() + ": store.url: only applies to type: postgres; remove it or use"
            + " that type");
    assertThat(error("store: {type: postgres, url: \"jdbc:postgresql://db/e\", schema: Bad-Name}"
        + queues))
        .hasMessage(file() + ": store.schema: must be a lower-case SQL name (letters, digits,"
            + " '_'; up to 63 characters, not starting with a digit), was 'Bad-Name'");
    assertThat(error("store: {type: postgres, url: \"jdbc:postgresql://db/e\", heartbeat: 10s,"
        + " lease: 15s}" + queues))
        .hasMessage(file() + ": store.lease: must be at least twice store.heartbeat (10000 ms),"
            + " so that one late heartbeat does not make other servers run this one's tasks"
            + " again");
  }

  @Test
  void errandKeyAndItsYaoNameTogether() throws IOException {
    assertThat(error("queues: {mail: {handler: exec, workers: 2, worker_nums: 3}}"))
        .hasMessage(file() + ": queues.mail.worker_nums: is Yao's name for 'workers', which is"
            + " set too; keep one of them");
    assertThat(error("queues: {mail: {process: a, event: {next: b}, next: c}}"))
        .hasMessage(file() + ": queues.mail.event.next: is Yao's name for 'next', which is set"
            + " too; keep one of them");
    assertThat(error("queues: {mail: {handler: exec, attempt_after: 100, backoff: {delay: 1s}}}"))
        .hasMessage(file() + ": queues.mail.backoff: cannot be given with attempt_after, which"
            + " is a fixed backoff already; keep one of them");
  }

  @Test
  void missingHandler() throws IOException {
    assertThat(error("queues: {mail: {workers: 2}}"))
        .hasMessage(file() + ": queues.mail.handler: is required: the name of the handler that"
            + " runs the queue's tasks (Yao: process), e.g. exec, http, git-sync or a Java class"
            + " name");
  }

  @Test
  void backoffThatCannotBe() throws IOException {
    assertThat(error("queues: {q: {handler: exec, backoff: {type: exponential, multiplier: 3}}}"))
        .hasMessage(file() + ": queues.q.backoff.multiplier: is not supported: an exponential"
            + " backoff doubles the delay before each retry, up to max; remove it");
    assertThat(error("queues: {q: {handler: exec, backoff: {type: exponential, delay: 1m,"
        + " max: 10s}}}"))
        .hasMessage(file() + ": queues.q.backoff.max: must be at least delay (1m), was 10s");
    assertThat(error("queues: {q: {handler: exec, backoff: {delay: 1s, jitter: 0.1}}}"))
        .hasMessage(file() + ": queues.q.backoff.jitter: only applies to type: exponential; set"
            + " that type or remove it");
  }

  @Test
  void yamlSyntaxErrorWithLineAndColumn() throws IOException {
    assertThat(error("queues:\n  mail:\n    handler: exec\n   workers: 2\n"))
        .hasMessage(file() + ": YAML syntax error at line 4, column 4: expected <block end>, but"
            + " found '<block mapping start>' (while parsing a block mapping that starts at line"
            + " 2, column 3)");
    assertThat(error("queues: {q: {handler: exec}}\nqueues: {r: {handler: exec}}\n"))
        .hasMessage(file() + ": YAML syntax error at line 2, column 7: duplicate key 'queues'");
    assertThat(error("queues: {q: {handler: exec}}\n---\nqueues: {r: {handler: exec}}\n"))
        .hasMessage(file() + ": YAML syntax error at line 3, column 1: a second document (after"
            + " '---') is not supported; keep one");
  }

  @Test
  void jsonSyntaxErrorWithLineAndColumn() throws IOException {
    Path yao = dir.resolve("mail.yao");
    Files.writeString(yao, "{\n  \"process\": \"x\"\n  \"size\": 3\n}\n");

    assertThatThrownBy(() -> loader().load(yao))
        .hasMessage(yao + ": JSON syntax error at line 3, column 3: Unexpected character ('\"'"
            + " (code 34)): was expecting comma to separate Object entries");
  }

  @Test
  void missingFile() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> loader().load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": no such file or directory (looked for " + missing + ")");
  }

  @Test
  void fileThatIsNotUtf8() throws IOException {
    Files.write(file(), new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});

    assertThatThrownBy(() -> loader().load(file()))
        .hasMessage(file() + ": cannot read: it is not UTF-8 text");
  }

  @Test
  void fileWithoutPermission() throws IOException {
    assumeThat(System.getProperty("user.name")).as("root reads any file").isNotEqualTo("root");
    Files.writeString(file(), "queues: {q: {handler: exec}}");
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("-w-------"));

    assertThatThrownBy(() -> loader().load(file()))
        .hasMessage(file() + ": cannot read: permission denied");
  }

  @Test
  void fileOfAnUnknownKind() throws IOException {
    Path conf = dir.resolve("errand.conf");
    Files.writeString(conf, "x");

    assertThatThrownBy(() -> loader().load(conf))
        .hasMessage(conf + ": is not a config file: use a .yaml, .yml or .json config, a .yao"
            + " task file, or a directory of task files");
  }

  @Test
  void publicBindWithoutToken() throws IOException {
    assertThat(error("server: {bind: 0.0.0.0}\nqueues: {q: {handler: exec}}"))
        .hasMessage(file() + ": server.token: is required when server.bind is '0.0.0.0', which"
            + " is not a loopback address: anyone who can reach the port could run tasks; set a"
            + " token (e.g. token: ${ERRAND_TOKEN}) or bind 127.0.0.1");
    for (String loopback : new String[] {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) {
      Files.writeString(file(), "server: {bind: '" + loopback + "'}\nqueues: {q: {handler: x}}");
      assertThat(loader().load(file()).http().bind()).isEqualTo(loopback);
    }
    assertThat(error("server: {bind: 300.1.1.1}\nqueues: {q: {handler: exec}}"))
        .hasMessage(file() + ": server.bind: is not a valid IP address: '300.1.1.1'");
  }

  @Test
  void userWithoutAQueueToDefaultTo() throws IOException {
    assertThat(error("queues: {q: {handler: exec}}\nusers: {alice: {args: {dir: a}}}"))
        .hasMessage(file() + ": users.alice.queue: is required: no queue has handler 'git-sync'"
            + " to default to; name the queue to submit to");
    assertThat(error("queues: {a: {handler: git-sync}, b: {handler: git-sync}}\n"
        + "users: {alice: {args: {dir: a}}}"))
        .hasMessage(file() + ": users.alice.queue: is required: 2 queues have handler 'git-sync'"
            + " (a, b); name the one to submit to");
    assertThat(error("queues: {sync: {handler: git-sync}}\n"
        + "users: {alice: {queue: synk, args: {dir: a}}}"))
        .hasMessage(file() + ": users.alice.queue: names no queue: 'synk' (did you mean"
            + " 'sync'?); the queues are sync");
  }

  @Test
  void badOrTakenNames() throws IOException {
    assertThat(error("queues: {'bad name': {handler: exec}}"))
        .hasMessage(file() + ": queues.bad name: is not a valid queue name: use 1-64 letters,"
            + " digits, '.', '_' or '-', starting with a letter or digit");
    assertThat(error("queues: {s: {handler: exec}}\nsupervisors: {s: {handler: exec}}"))
        .hasMessage(file() + ": supervisors.s: has the name of a queue (" + file() + " at"
            + " queues.s); queues and supervisors share one set of names, so rename one of them");

    Path tasks = Files.createDirectories(dir.resolve("tasks"));
    Files.writeString(tasks.resolve("mail.yao"), "{\"process\": \"x\"}");
    assertThat(error("tasks: tasks\nqueues: {mail: {handler: exec}}"))
        .hasMessage(tasks.resolve("mail.yao") + ": defines queue 'mail', which " + file()
            + " at queues.mail defines too; rename one of them");
  }

  @Test
  void tasksThatIsNotADirectory() throws IOException {
    assertThat(error("tasks: ./nowhere"))
        .hasMessage(file() + ": tasks: must be a directory of task files, but "
            + dir.resolve("nowhere") + " does not exist");
  }

  @Test
  void nothingToRun() throws IOException {
    assertThat(error("server: {port: 8081}"))
        .hasMessage(file() + ": queues: none are configured: add a queue under queues, a tasks"
            + " directory under tasks, or a supervisor under supervisors");
  }

  @Test
  void unknownEventOfAYaoFileNamesThatFile() throws IOException {
    Path yao = dir.resolve("mail.yao");
    Files.writeString(yao, "{\"process\": \"x\", \"event\": {\"sucess\": \"y\"}}");

    assertThatThrownBy(() -> loader().load(yao))
        .hasMessage(yao + ": event.sucess: unknown key (did you mean 'success'?); known keys"
            + " here are next, add, success, error, progress");
  }

  @Test
  void taskFileLoadedAsAConfig() throws IOException {
    Path json = dir.resolve("mail.json");
    Files.writeString(json, "{\"handler\": \"http\", \"workers\": 2}");

    assertThatThrownBy(() -> loader().load(json))
        .hasMessage(json + ": handler: is a queue's key, not a config file's; this looks like a"
            + " task file: name it .yao or load the directory it is in (a config file lists"
            + " queues under queues)");
  }

  @Test
  void wrapsAHandlersSettingException() {
    SettingException refused = new SettingException("queues.mail.options.url", "is required");

    ConfigException e = new ConfigException(Path.of("errand.yaml"), refused);

    assertThat(e).hasMessage("errand.yaml: queues.mail.options.url: is required")
        .hasCause(refused);
    assertThat(e.path()).isEqualTo("queues.mail.options.url");
    assertThat(e.problem()).isEqualTo("is required");
  }

  @Test
  void handlerOptionErrorsOfATaskFileUseItsKeyPaths() throws IOException {
    Path json = Files.createDirectories(dir.resolve("tasks")).resolve("mail.json");
    Files.writeString(json, "{\"handler\": \"http\", \"options\": {\"urll\": \"x\"}}");
    var q = loader().load(dir.resolve("tasks")).queues().get("mail");
    HandlerSettings settings = new HandlerSettings(q.name(), q.pathOf("options"), q.options(),
        dir);

    assertThatThrownBy(() -> settings.allowOnly("url"))
        .isInstanceOfSatisfying(SettingException.class, s ->
            assertThat(new ConfigException(q.file(), s)).hasMessage(json + ": options.urll:"
                + " unknown option (did you mean 'url'?); known options are url"));
  }

  @Test
  void aProcessBindingIsAHandlerOrAUrlNotBoth() throws IOException {
    assertThat(error("""
        queues: {q: {handler: demo}}
        processes:
          scripts.task.Send: {handler: http, url: "https://h/x"}
        """)).hasMessage(file() + ": processes.scripts.task.Send: needs exactly one of handler"
        + " (with its options) and url (a webhook, for events)");
    assertThat(error("""
        queues: {q: {handler: demo}}
        processes:
          scripts.task.OnAdd: {url: "ftp://h/x"}
        """)).hasMessage(file() + ": processes.scripts.task.OnAdd.url: must be an http:// or"
        + " https:// URL, was 'ftp://h/x'");
  }

  @Test
  void readsTheThreeFormsOfAProcessBinding() throws IOException {
    Files.writeString(file(), """
        queues: {q: {handler: scripts.task.Send}}
        processes:
          scripts.task.Send: {handler: http, options: {url: "https://h/send"}}
          scripts.task.NextID: demo
          scripts.task.OnAdd: https://h/added
        """);
    var p = loader().load(file()).processes();

    assertThat(p.get("scripts.task.Send").handler()).isEqualTo("http");
    assertThat(p.get("scripts.task.Send").options().get("url").asText())
        .isEqualTo("https://h/send");
    assertThat(p.get("scripts.task.Send").path()).isEqualTo("processes.scripts.task.Send");
    assertThat(p.get("scripts.task.NextID").handler()).isEqualTo("demo");
    assertThat(p.get("scripts.task.OnAdd").url()).isEqualTo("https://h/added");
  }

  private ConfigException error(String yaml) throws IOException {
    Files.writeString(file(), yaml);
    try {
      loader().load(file());
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e;
    }
    throw new AssertionError("loaded without an error: " + yaml);
  }

  private Path file() {
    return dir.resolve("errand.yaml");
  }

  private static ConfigLoader loader() {
    return new ConfigLoader(Map.of());
  }
}
