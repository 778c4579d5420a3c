package io.cleanroom.protocol.config;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML configuration file into a record. Unknown keys are refused (a misspelt key is a
 * mistake an operator wants to hear about, not a silent default), and every error names the file,
 * the line and the key.
 */
public final class YamlConfig {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private YamlConfig() {}

  /** The mapper, for writing configuration files in the same dialect. */
  public static ObjectMapper mapper() {
    return YAML;
  }

  public static <T> T read(Path file, Class<T> type) throws ConfigException {
    String text = null;
    try {
      text = Files.readString(file);
      T value = YAML.readValue(text, type);
      if (value == null) {
        throw new ConfigException(file + ": the document is empty, expected a mapping of keys");
      }
      return value;
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " does not exist");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not valid UTF-8", e);
    } catch (StreamReadException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new ConfigException(
          file + (line > 0 ? " line " + line : "") + ": not valid YAML: " + syntaxProblem(e), e);
    } catch (JsonMappingException e) {
      String path =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      String cause = e.getOriginalMessage();
      if (e.getCause() instanceof IllegalArgumentException iae) {
        cause = iae.getMessage();
      }
      if (e instanceof UnrecognizedPropertyException u) {
        // The parser reports where it stopped, which for YAML is past the key; name the key's line.
        line = lineOf(text, u.getPropertyName(), line);
        cause = "unknown key \"" + u.getPropertyName() + "\"";
      }
      throw new ConfigException(
          file
              + (line > 0 ? " line " + line : "")
              + (path.isEmpty() ? "" : ", key " + path)
              + ": "
              + firstLine(cause),
          e);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * What the YAML parser found wrong, without the several lines of context and excerpt it adds, so
   * that the message stays one line.
   */
  private static String syntaxProblem(StreamReadException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
      return m.getProblem();
    }
    return firstLine(e.getOriginalMessage());
  }

  /** The first line of {@code text} that starts the key {@code key}, or {@code fallback}. */
  private static int lineOf(String text, String key, int fallback) {
    Matcher m =
        Pattern.compile("^[\\s-]*\\{?\\s*" + Pattern.quote(key) + "\\s*:", Pattern.MULTILINE)
            .matcher(text);
    if (!m.find()) {
      return fallback;
    }
    return (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Throws a {@link ConfigException} naming {@code key} of {@code file} when {@code ok} is false.
   */
  /**
   * The path {@code value} of {@code key}, relative to the folder of the configuration file {@code
   * file}; refused with the key's name if it is not a valid path on this system (e.g. contains a
   * NUL character).
   */
  public static Path path(Path file, String key, String value) throws ConfigException {
    Path dir = file.toAbsolutePath().getParent();
    try {
      return dir.resolve(value).normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(file + ", key " + key + ": not a valid path: " + e.getReason(), e);
    }
  }

  public static void require(boolean ok, Path file, String key, String problem)
      throws ConfigException {
    if (!ok) {
      throw new ConfigException(file + ", key " + key + ": " + problem);
    }
  }
}
