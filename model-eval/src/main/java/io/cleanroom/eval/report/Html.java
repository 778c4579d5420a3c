package io.cleanroom.eval.report;

import io.cleanroom.eval.policy.Verdict;
import io.cleanroom.eval.stats.Interval;
import io.cleanroom.eval.stats.Proportion;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTML builder (text is escaped, markup is passed as it is) and the report's formatting
 * of numbers, rates and verdicts as markup.
 */
final class Html {
  private final StringBuilder out = new StringBuilder();

  /** Escapes text for element content and quoted attribute values. */
  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Appends markup. */
  Html raw(String html) {
    out.append(html);
    return this;
  }

  /** Appends {@code <tag>text</tag>} with the text escaped; {@code tag} may carry attributes. */
  Html element(String tag, String text) {
    String name = tag.split(" ", 2)[0];
    out.append('<')
        .append(tag)
        .append('>')
        .append(esc(text))
        .append("</")
        .append(name)
        .append(">\n");
    return this;
  }

  /** Opens a section with a heading and an anchor. */
  Html section(String id, String title) {
    out.append("<section id=\"").append(esc(id)).append("\">\n");
    return element("h2", title);
  }

  Html endSection() {
    out.append("</section>\n");
    return this;
  }

  /** A preformatted block, or a note when the text is missing. */
  Html pre(String text) {
    return text == null || text.isBlank()
        ? element("p class=\"none\"", "not provided")
        : element("pre", text);
  }

  /** A table whose header cells are text and whose body cells are markup. */
  Html table(List<String> header, List<List<String>> rows) {
    out.append("<table>\n<thead><tr>");
    for (String h : header) {
      out.append("<th>").append(esc(h)).append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      out.append("<tr>");
      for (String cell : row) {
        out.append("<td>").append(cell).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n");
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** A verdict as a coloured label. */
  static String badge(Verdict v) {
    return "<span class=\"v " + v.name() + "\">" + v.name() + "</span>";
  }

  /**
   * A number to 4 decimals (1 from 100 on, 2 significant digits below 0.001); a dash when
   * undefined.
   */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "−∞";
    }
    if (v != 0 && Math.abs(v) < 1e-3) {
      return String.format(Locale.ROOT, "%.2g", v);
    }
    return fixed(v, Math.abs(v) >= 100 ? 1 : 4);
  }

  static String fixed(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A count with thousands separators. */
  static String cell(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** [low, high], or nothing when undefined. */
  static String interval(Interval i) {
    return i.isDefined() ? "[" + num(i.low()) + ", " + num(i.high()) + "]" : "";
  }

  /** A rate with its interval and events/trials; n/a when not reported. */
  static String rate(Proportion p) {
    return p == null
        ? "<span class=\"none\">n/a</span>"
        : num(p.value())
            + " "
            + interval(p.interval())
            + " <small>("
            + p.events()
            + "/"
            + p.trials()
            + ")</small>";
  }
}
