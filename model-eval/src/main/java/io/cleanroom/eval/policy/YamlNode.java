package io.cleanroom.eval.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML value with its line and key path, and typed accessors whose errors name the file, line and
 * key. Reading a map marks the keys it asks for, so that {@link #requireNoOtherKeys} catches
 * misspelt ones.
 */
final class YamlNode {

  private static final YAMLFactory YAML = new YAMLFactory();

  private final String source;
  private final String path;
  private final int line;
  private final Object value;
  private final Set<String> asked = new LinkedHashSet<>();

  private YamlNode(String source, String path, int line, Object value) {
    this.source = source;
    this.path = path;
    this.line = line;
    this.value = value;
  }

  /** Parses a YAML document; its root must be a map. */
  static YamlNode parse(String source, byte[] yaml) {
    try (JsonParser p = YAML.createParser(yaml)) {
      if (p.nextToken() == null) {
        throw new PolicyException(source + ": empty policy");
      }
      YamlNode root = read(p, source, "", p.currentTokenLocation().getLineNr());
      if (!(root.value instanceof Map)) {
        throw root.error("the policy must be a map of keys");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new PolicyException(
          source
              + ", line "
              + e.getLocation().getLineNr()
              + ": not valid YAML: "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PolicyException(source + ": cannot read: " + e.getMessage());
    }
  }

  /** Reads the value at the parser's current token; {@code line} is where its key stands. */
  private static YamlNode read(JsonParser p, String source, String path, int line)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, YamlNode> map = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        String child = path.isEmpty() ? key : path + "." + key;
        int keyLine = p.currentTokenLocation().getLineNr();
        p.nextToken();
        if (map.put(key, read(p, source, child, keyLine)) != null) {
          throw new PolicyException(source + ", line " + keyLine + ": " + child + ": given twice");
        }
      }
      return new YamlNode(source, path, line, map);
    }
    if (t == JsonToken.START_ARRAY) {
      List<YamlNode> list = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        list.add(
            read(p, source, path + "[" + list.size() + "]", p.currentTokenLocation().getLineNr()));
      }
      return new YamlNode(source, path, line, list);
    }
    Object scalar =
        switch (t) {
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
          case VALUE_TRUE -> Boolean.TRUE;
          case VALUE_FALSE -> Boolean.FALSE;
          case VALUE_NULL -> null;
          default -> p.getText();
        };
    return new YamlNode(source, path, line, scalar);
  }

  PolicyException error(String message) {
    return new PolicyException(
        source + ", line " + line + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  @SuppressWarnings("unchecked")
  private Map<String, YamlNode> map() {
    if (!(value instanceof Map)) {
      throw error("must be a map of keys");
    }
    return (Map<String, YamlNode>) value;
  }

  /** The value of a required key. */
  YamlNode get(String key) {
    YamlNode child = map().get(key);
    asked.add(key);
    if (child == null) {
      throw error("missing key " + key);
    }
    return child;
  }

  /** The map under a required key. */
  YamlNode object(String key) {
    YamlNode child = get(key);
    child.map();
    return child;
  }

  /**
   * Reads the map under a required key with {@code reader}, then fails on any key of the map that
   * the reader did not ask for.
   */
  <T> T section(String key, Function<YamlNode, T> reader) {
    YamlNode n = object(key);
    T value = reader.apply(n);
    n.requireNoOtherKeys();
    return value;
  }

  /** Fails on a key that no accessor asked for. */
  void requireNoOtherKeys() {
    for (Map.Entry<String, YamlNode> e : map().entrySet()) {
      if (!asked.contains(e.getKey())) {
        throw e.getValue().error("unknown key (expected one of " + String.join(", ", asked) + ")");
      }
    }
  }

  double number(String key, double min, double max) {
    YamlNode n = get(key);
    if (!(n.value instanceof Number)) {
      throw n.error("must be a number, got " + n.describe());
    }
    double v = ((Number) n.value).doubleValue();
    if (!(v >= min && v <= max)) {
      throw n.error(
          "must be between " + Numbers.format(min) + " and " + Numbers.format(max) + ", got " + v);
    }
    return v;
  }

  int integer(String key, int min, int max) {
    YamlNode n = get(key);
    if (!(n.value instanceof Integer)) {
      throw n.error("must be a whole number, got " + n.describe());
    }
    int v = (Integer) n.value;
    if (v < min || v > max) {
      throw n.error("must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  boolean flag(String key) {
    YamlNode n = get(key);
    if (!(n.value instanceof Boolean)) {
      throw n.error("must be true or false, got " + n.describe());
    }
    return (Boolean) n.value;
  }

  /** A string; empty allowed. */
  String text(String key) {
    YamlNode n = get(key);
    if (!(n.value instanceof String)) {
      throw n.error("must be text, got " + n.describe());
    }
    return (String) n.value;
  }

  /** A list of non-blank strings, at least one. */
  List<String> texts(String key) {
    YamlNode n = get(key);
    if (!(n.value instanceof List<?> items) || items.isEmpty()) {
      throw n.error("must be a list of at least one text, got " + n.describe());
    }
    List<String> out = new ArrayList<>();
    for (Object o : items) {
      YamlNode item = (YamlNode) o;
      if (!(item.value instanceof String s) || s.isBlank()) {
        throw item.error("must be non-empty text, got " + item.describe());
      }
      out.add(s);
    }
    return out;
  }

  /** One of an enum's values, spelled as {@link Policy#label}. */
  <E extends Enum<E>> E choice(String key, Class<E> type) {
    YamlNode n = get(key);
    List<String> labels = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      if (Policy.label(e).equals(n.value)) {
        return e;
      }
      labels.add(Policy.label(e));
    }
    throw n.error("must be one of " + String.join(", ", labels) + ", got " + n.describe());
  }

  /**
   * A bound under {@code key}: {@code {min: m}} or {@code {max: m}} as {@code lower} says, with an
   * optional {@code warn}, all within [lo, hi].
   */
  Bound bound(String key, boolean lower, double lo, double hi) {
    YamlNode n = object(key);
    String limitKey = lower ? "min" : "max";
    Map<String, YamlNode> entries = n.map();
    if (!entries.containsKey(limitKey) && entries.containsKey(lower ? "max" : "min")) {
      throw n.error("needs " + limitKey + " (" + (lower ? "higher" : "lower") + " is better)");
    }
    double limit = n.number(limitKey, lo, hi);
    n.asked.add("warn");
    Double warn = entries.containsKey("warn") ? n.number("warn", lo, hi) : null;
    n.requireNoOtherKeys();
    try {
      return new Bound(lower, limit, warn);
    } catch (IllegalArgumentException e) {
      throw n.error(e.getMessage());
    }
  }

  private String describe() {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof Map) {
      return "a map";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "'" + value + "'";
  }
}
