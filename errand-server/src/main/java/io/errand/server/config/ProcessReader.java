package io.errand.server.config;

import io.errand.common.Redaction;
import io.errand.common.SubstitutedText;
import io.errand.server.config.ServerConfig.ProcessConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code processes} block: Yao process names bound to what runs them, so that a Yao
 * task file's {@code process: "scripts.task.Send"} and {@code event.add: "scripts.task.OnAdd"}
 * work without editing the file. A binding is a handler with options
 * ({@code {handler: http, options: {url: ...}}}), a handler's name alone, or, for an event, a
 * webhook URL ({@code https://...} or {@code {url: ...}}).
 */
final class ProcessReader {
  static final List<String> KEYS = List.of("handler", "options", "url");

  private ProcessReader() {}

  /**
   * The bindings under {@code processes}, by process name.
   *
   * @param secretEnv collects the variables of webhook URLs with credentials
   */
  static Map<String, ProcessConfig> read(ConfigNode processes, Set<String> secretEnv) {
    Map<String, ProcessConfig> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : processes.entries().entrySet()) {
      out.put(e.getKey(), binding(e.getKey(), e.getValue(), secretEnv));
    }
    return Collections.unmodifiableMap(out);
  }

  private static ProcessConfig binding(String name, ConfigNode p, Set<String> secretEnv) {
    if (!p.isSet()) {
      throw p.error("is empty; bind the process to a handler, e.g. {handler: http, options:"
          + " {url: https://...}}, or an event to a webhook URL");
    }
    if (p.raw().isValueNode()) {
      String text = p.requireText("a handler's name or a webhook URL").strip();
      return isUrl(text) ? url(name, p, text, secretEnv)
          : new ProcessConfig(name, p.path(), text, null, null);
    }
    p.allowOnly(KEYS);
    ConfigNode handler = p.get("handler");
    ConfigNode url = p.get("url");
    if (handler.isSet() == url.isSet()) {
      throw p.error("needs exactly one of handler (with its options) and url (a webhook, for"
          + " events)");
    }
    if (url.isSet()) {
      if (p.get("options").isSet()) {
        throw p.get("options").error("belongs to a handler; a url binding has none");
      }
      String u = url.requireText("a webhook URL").strip();
      if (!isUrl(u)) {
        throw url.error("must be an http:// or https:// URL, was '" + Redaction.url(u) + "'");
      }
      return url(name, url, u, secretEnv);
    }
    return new ProcessConfig(name, p.path(), handler.requireText("a handler's name").strip(),
        p.get("options").raw(), null);
  }

  private static ProcessConfig url(String name, ConfigNode node, String url,
      Set<String> secretEnv) {
    if (!Redaction.url(url).equals(url)) { // credentials in it: keep their variables secret
      secretEnv.addAll(SubstitutedText.variablesIn(node.raw()));
    }
    return new ProcessConfig(name, node.path(), null, null, url);
  }

  private static boolean isUrl(String text) {
    return text.startsWith("http://") || text.startsWith("https://");
  }
}
