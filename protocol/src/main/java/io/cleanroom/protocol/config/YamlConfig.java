package io.cleanroom.protocol.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

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
    try {
      return YAML.readValue(Files.readString(file), type);
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " does not exist");
    } catch (JsonMappingException e) {
      String path =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      JsonLocation loc = e.getLocation();
      String cause = e.getOriginalMessage();
      if (e.getCause() instanceof IllegalArgumentException iae) {
        cause = iae.getMessage();
      }
      throw new ConfigException(
          file
              + (loc != null ? " line " + loc.getLineNr() : "")
              + (path.isEmpty() ? "" : ", key " + path)
              + ": "
              + firstLine(cause),
          e);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
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
  public static void require(boolean ok, Path file, String key, String problem)
      throws ConfigException {
    if (!ok) {
      throw new ConfigException(file + ", key " + key + ": " + problem);
    }
  }
}
