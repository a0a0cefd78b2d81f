#pragma once
// A tiny SVG writer for report.html: charts with linear scales and "nice" ticks (lines, bands,
// histograms, scatters), a diverging heatmap and a circular network. All text is escaped and
// the markup is XML-well-formed (it is inlined in XHTML-compatible HTML); no scripts, no
// external references.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace geosim::svg {

/// Okabe-Ito colours, safe for the common colour-vision deficiencies.
inline constexpr std::string_view kBlue = "#0072B2";
inline constexpr std::string_view kVermillion = "#D55E00";
inline constexpr std::string_view kGrey = "#555555";

/// `text` with &, <, >, " and ' escaped for XML text and attributes.
std::string escape(std::string_view text);
/// A number for a label: at most 4 significant digits, no trailing zeros, "-0" as "0".
std::string number(double value);
/// About `target` round tick positions (1, 2 or 5 times a power of ten) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target);

/// How a line is drawn: the main series (solid or dashed) or a thin edge of a band.
enum class Stroke { kSolid, kDashed, kThin };

struct Range {
  double lo = 0;
  double hi = 1;
};

/// A labelled tick position on an axis.
using Tick = std::pair<double, std::string>;

/// One chart: a title, a plot area with linear x and y scales, and what is drawn into it.
class Chart {
 public:
  Chart(std::string id, std::string title, Range x, Range y, int width = 420, int height = 250);

  /// Both axes with ticks and grid lines; `x_ticks` or `y_ticks` empty: nice numbers.
  void axis(const std::string& x_label, const std::string& y_label, const std::vector<Tick>& x_ticks = {},
            const std::vector<Tick>& y_ticks = {});
  /// Room for the y tick labels, in pixels (call before drawing anything).
  void set_left_margin(double left) { left_ = left; }
  /// A polyline; NaN values break it.
  void line(const std::vector<double>& x, const std::vector<double>& y, std::string_view colour,
            Stroke stroke = Stroke::kSolid);
  /// The area between `lo` and `hi`.
  void band(const std::vector<double>& x, const std::vector<double>& lo, const std::vector<double>& hi,
            std::string_view colour, double opacity);
  /// A horizontal reference line (e.g. zero).
  void rule(double y, std::string_view colour);
  /// Bars over the bins [edges[i], edges[i+1]) with the given heights; with `slots` > 1 each
  /// bar fills only part `slot` of its bin, so that several series stand side by side.
  void histogram(const std::vector<double>& edges, const std::vector<double>& heights, std::string_view colour,
                 std::size_t slot = 0, std::size_t slots = 1);
  /// Points (x[i], y[i]).
  void scatter(const std::vector<double>& x, const std::vector<double>& y, std::string_view colour);
  /// Swatches with labels, right-aligned in the title row.
  void legend(const std::vector<std::pair<std::string, std::string_view>>& entries);

  std::string str() const;

 private:
  double px(double x) const;
  double py(double y) const;

  std::string id_, title_;
  Range x_, y_;
  int width_, height_;
  double left_ = 56, right_ = 14, top_ = 30, bottom_ = 42;
  std::string body_;
};

/// An N x N matrix (row-major, in `labels` order) in a diverging scale over [-1, 1]: blue
/// positive, red negative, with row and column labels and a colour key.
std::string heatmap(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                    const std::vector<double>& values);

/// Agents on a circle in the given order, node area proportional to `sizes`; an edge for every
/// pair whose symmetric value |(v_ij + v_ji) / 2| exceeds `threshold` (solid blue positive,
/// dashed red negative, width by strength). Labels sit outside the circle, clear of the nodes.
std::string network(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                    const std::vector<double>& sizes, const std::vector<double>& values, double threshold);

}  // namespace geosim::svg
