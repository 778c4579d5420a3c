package io.cleanroom.eval.report;

import io.cleanroom.eval.explain.FeatureImportance;
import io.cleanroom.eval.explain.GlobalExplanation;
import io.cleanroom.eval.fairness.AttributeFairness;
import io.cleanroom.eval.fairness.GroupMetrics;
import io.cleanroom.eval.monitoring.StabilityReport;
import io.cleanroom.eval.monitoring.VariableStability;
import io.cleanroom.eval.stats.Proportion;
import io.cleanroom.eval.validation.CurvePoint;
import io.cleanroom.eval.validation.ScoreDistribution;
import io.cleanroom.eval.validation.ValidationResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The report's charts, drawn with JFreeChart as inline SVG elements (JFreeSVG). */
final class Charts {
  private Charts() {}

  private static final int WIDTH = 520;
  private static final int HEIGHT = 360;
  private static final Color GUIDE = new Color(0x999999);
  private static final Color GRID = new Color(0xDDDDDD);

  /** The ROC curve with the diagonal of a random model. */
  static String roc(ValidationResult v) {
    return curve(
        "ROC curve",
        "false-positive rate",
        "true-positive rate",
        v.roc(),
        List.of(new CurvePoint(0, 0), new CurvePoint(1, 1)),
        "roc");
  }

  /** The precision-recall curve with the prevalence a random model would reach. */
  static String precisionRecall(ValidationResult v) {
    double prevalence = (double) v.positives() / v.accounts();
    return curve(
        "Precision-recall curve",
        "recall",
        "precision",
        v.precisionRecall(),
        List.of(new CurvePoint(0, prevalence), new CurvePoint(1, prevalence)),
        "pr");
  }

  /** A curve over the unit square with a random model's curve in grey. */
  private static String curve(
      String title,
      String x,
      String y,
      List<CurvePoint> model,
      List<CurvePoint> random,
      String id) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("model", model));
    data.addSeries(series("random", random));
    JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data);
    XYPlot plot = chart.getXYPlot();
    ((NumberAxis) plot.getDomainAxis()).setRange(0, 1);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
    plot.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
    plot.getRenderer().setSeriesPaint(1, GUIDE);
    return svg(asPaths(chart), id, WIDTH, HEIGHT);
  }

  /** The share of each label's accounts per score bin. */
  static String scoreDistribution(ScoreDistribution d) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(shares("normal accounts", d.normal()));
    data.addSeries(shares("alert accounts", d.alert()));
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Score distribution", "score", "share of the label's accounts", data);
    ((NumberAxis) chart.getXYPlot().getDomainAxis()).setRange(0, 1);
    return svg(asPaths(chart), "scores", WIDTH, HEIGHT);
  }

  /** Alert rate and FPR per reported group, with Wilson intervals. */
  static String groupRates(AttributeFairness a, int index, double confidenceLevel) {
    List<GroupMetrics> groups = a.groups().stream().filter(g -> !g.suppressed()).toList();
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(rates("alert rate", groups, GroupMetrics::alertRate, -0.1));
    data.addSeries(rates("FPR", groups, GroupMetrics::fpr, 0.1));
    String[] names = groups.stream().map(GroupMetrics::group).toArray(String[]::new);
    SymbolAxis x = new SymbolAxis(a.attribute(), names);
    NumberAxis y =
        new NumberAxis("rate (" + Math.round(100 * confidenceLevel) + "% Wilson interval)");
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDefaultLinesVisible(false);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    x.setRange(-0.5, Math.max(0.5, names.length - 0.5));
    JFreeChart chart = new JFreeChart("Rates by " + a.attribute(), plot);
    return svg(chart, "groups-" + index, WIDTH, HEIGHT);
  }

  /** Standardised weight and mean absolute contribution per feature, most influential first. */
  static String weights(GlobalExplanation g) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (FeatureImportance f : g.byImportance()) {
      data.addValue(f.standardisedWeight(), "standardised weight", f.feature());
      data.addValue(f.meanAbsContribution(), "mean |contribution|", f.feature());
    }
    JFreeChart chart = horizontalBars("Feature weights (log-odds)", "log-odds", data, true);
    int height = Math.max(HEIGHT, 60 + 34 * g.features().size());
    return svg(chart, "weights", WIDTH + 120, height);
  }

  /** PSI per variable with the watch (0.10) and act (0.25) lines of the policy. */
  static String psi(StabilityReport s, double watch, double act) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (VariableStability v : s.variables()) {
      data.addValue(v.psi(), "PSI", v.variable());
    }
    JFreeChart chart = horizontalBars("Population stability index", "PSI", data, false);
    CategoryPlot plot = chart.getCategoryPlot();
    double top = act;
    for (VariableStability v : s.variables()) {
      top = Math.max(top, v.psi());
    }
    plot.getRangeAxis().setRange(0, top * 1.1);
    plot.addRangeMarker(new ValueMarker(watch, new Color(0xE0A000), new BasicStroke(1.5f)));
    plot.addRangeMarker(new ValueMarker(act, new Color(0xC0392B), new BasicStroke(1.5f)));
    int height = Math.max(HEIGHT, 60 + 26 * s.variables().size());
    return svg(chart, "psi", WIDTH + 120, height);
  }

  private static JFreeChart horizontalBars(
      String title, String axis, DefaultCategoryDataset data, boolean legend) {
    return ChartFactory.createBarChart(
        title, null, axis, data, PlotOrientation.HORIZONTAL, legend, false, false);
  }

  private static XYSeries series(String name, List<CurvePoint> points) {
    XYSeries s = new XYSeries(name, false, true);
    for (CurvePoint p : points) {
      s.add(p.x(), p.y());
    }
    return s;
  }

  private static XYSeries shares(String name, long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    XYSeries s = new XYSeries(name);
    for (int b = 0; b < counts.length; b++) {
      s.add((b + 0.5) / counts.length, total == 0 ? 0 : (double) counts[b] / total);
    }
    return s;
  }

  private static YIntervalSeries rates(
      String name, List<GroupMetrics> groups, Function<GroupMetrics, Proportion> rate, double dx) {
    YIntervalSeries s = new YIntervalSeries(name);
    for (int k = 0; k < groups.size(); k++) {
      Proportion p = rate.apply(groups.get(k));
      if (p != null) {
        s.add(k + dx, p.value(), p.interval().low(), p.interval().high());
      }
    }
    return s;
  }

  /** Draws each series as one SVG path rather than one element per segment. */
  private static JFreeChart asPaths(JFreeChart chart) {
    ((XYLineAndShapeRenderer) chart.getXYPlot().getRenderer()).setDrawSeriesLineAsPath(true);
    return chart;
  }

  private static String svg(JFreeChart chart, String id, int width, int height) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(GRID);
      xy.setRangeGridlinePaint(GRID);
    } else if (chart.getPlot() instanceof CategoryPlot category) {
      category.setRangeGridlinePaint(GRID);
    }
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix(id + "-");
    g.setGeomDoubleConverter(v -> String.format(Locale.ROOT, "%.1f", v));
    chart.draw(g, new Rectangle(0, 0, width, height));
    return g.getSVGElement(id);
  }
}
