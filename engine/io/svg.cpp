#include "svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace geosim::svg {
namespace {

constexpr double kPi = std::numbers::pi;

// Two decimals are a hundredth of a pixel: enough, and it keeps big reports small.
std::string coord(double value) { return fmt::format("{:.2f}", value); }

std::string open_svg(const std::string& id, int width, int height) {
  return fmt::format(R"(<svg id="{}" class="chart" width="{}" height="{}" viewBox="0 0 {} {}" role="img">)",
                     escape(id), width, height, width, height);
}

std::string text(double x, double y, std::string_view anchor, const std::string& content, std::string_view extra = "") {
  return fmt::format(R"(<text x="{}" y="{}" text-anchor="{}"{}>{}</text>)", coord(x), coord(y), anchor, extra,
                     escape(content));
}

// Linear interpolation between two #rrggbb colours.
std::string mix(unsigned from, unsigned to, double t) {
  auto channel = [&](int shift) {
    const double a = (from >> shift) & 0xff, b = (to >> shift) & 0xff;
    return static_cast<unsigned>(std::lround(a + (b - a) * t));
  };
  return fmt::format("#{:02x}{:02x}{:02x}", channel(16), channel(8), channel(0));
}

// RdBu-like diverging scale: -1 red, 0 near white, +1 blue; NaN grey.
std::string diverging(double value) {
  if (!std::isfinite(value)) return "#dddddd";
  const double t = std::clamp(value, -1.0, 1.0);
  return t >= 0 ? mix(0xf7f7f7, 0x2166ac, t) : mix(0xf7f7f7, 0xb2182b, -t);
}

std::string polyline(const std::vector<std::pair<double, double>>& points, std::string_view colour, Stroke stroke) {
  std::string d;
  for (const auto& [x, y] : points) d += fmt::format("{}{} {}", d.empty() ? "M" : "L", coord(x), coord(y));
  static const char* kStyles[] = {R"( stroke-width="2.2")", R"( stroke-width="2.2" stroke-dasharray="6 3")",
                                  R"( stroke-width="1" stroke-opacity="0.8")"};
  return fmt::format(R"(<path d="{}" fill="none" stroke="{}"{}/>)", d, colour, kStyles[static_cast<int>(stroke)]);
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double value) {
  if (!std::isfinite(value)) return "n/a";
  if (std::abs(value) < 1e-12) return "0";
  return fmt::format("{:.4g}", value);
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
  const double raw = (hi - lo) / std::max(target, 1);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  const double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  std::vector<double> ticks;
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k += 1) ticks.push_back(k * step);
  return ticks;
}

Chart::Chart(std::string id, std::string title, Range x, Range y, int width, int height)
    : id_(std::move(id)), title_(std::move(title)), x_(x), y_(y), width_(width), height_(height) {
  // A degenerate range (a constant series) still needs a visible scale.
  if (!(x_.hi > x_.lo)) x_ = {x_.lo - 0.5, x_.lo + 0.5};
  if (!(y_.hi > y_.lo)) y_ = {y_.lo - 0.5, y_.lo + 0.5};
}

double Chart::px(double x) const { return left_ + (x - x_.lo) / (x_.hi - x_.lo) * (width_ - left_ - right_); }
double Chart::py(double y) const { return top_ + (y_.hi - y) / (y_.hi - y_.lo) * (height_ - top_ - bottom_); }

void Chart::axis(const std::string& x_label, const std::string& y_label, const std::vector<Tick>& x_ticks,
                 const std::vector<Tick>& y_ticks) {
  std::vector<Tick> xs = x_ticks, ys = y_ticks;
  if (xs.empty()) {
    for (double t : nice_ticks(x_.lo, x_.hi, 6)) xs.emplace_back(t, number(t));
  }
  if (ys.empty()) {
    for (double t : nice_ticks(y_.lo, y_.hi, 5)) ys.emplace_back(t, number(t));
  }
  const double bottom = height_ - bottom_, right = width_ - right_;
  std::string out = R"(<g class="axis">)";
  for (const auto& [t, label] : ys) {
    out += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>)", left_, right, coord(py(t)), coord(py(t)));
    out += text(left_ - 5, py(t) + 4, "end", label);
  }
  for (const auto& [t, label] : xs) {
    out += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" class="tick"/>)", coord(px(t)), coord(px(t)), bottom, bottom + 4);
    out += text(px(t), bottom + 15, "middle", label);
  }
  out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" class="frame"/>)", left_, top_, right - left_, bottom - top_);
  out += text((left_ + right) / 2, height_ - 6, "middle", x_label, R"( class="label")");
  out += text(13, (top_ + bottom) / 2, "middle", y_label,
              fmt::format(R"svg( class="label" transform="rotate(-90 13 {})")svg", coord((top_ + bottom) / 2)));
  // Axes and grid go under what is already drawn.
  body_ = fmt::format("{}</g>{}", out, body_);
}

void Chart::line(const std::vector<double>& x, const std::vector<double>& y, std::string_view colour, Stroke stroke) {
  std::vector<std::pair<double, double>> run;
  for (std::size_t i = 0; i <= x.size(); ++i) {
    if (i < x.size() && std::isfinite(y[i])) {
      run.emplace_back(px(x[i]), py(std::clamp(y[i], y_.lo, y_.hi)));
    } else if (!run.empty()) {
      body_ += polyline(run, colour, stroke);
      run.clear();
    }
  }
}

void Chart::band(const std::vector<double>& x, const std::vector<double>& lo, const std::vector<double>& hi,
                 std::string_view colour, double opacity) {
  std::string d;
  for (std::size_t i = 0; i < x.size(); ++i) d += fmt::format("{}{} {}", i ? "L" : "M", coord(px(x[i])), coord(py(hi[i])));
  for (std::size_t i = x.size(); i-- > 0;) d += fmt::format("L{} {}", coord(px(x[i])), coord(py(lo[i])));
  if (!d.empty()) body_ += fmt::format(R"(<path d="{}Z" fill="{}" fill-opacity="{}" stroke="none"/>)", d, colour, opacity);
}

void Chart::rule(double y, std::string_view colour) {
  body_ += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.2"/>)", left_,
                       width_ - right_, coord(py(y)), coord(py(y)), colour);
}

void Chart::histogram(const std::vector<double>& edges, const std::vector<double>& heights, std::string_view colour,
                      std::size_t slot, std::size_t slots) {
  body_ += fmt::format(R"(<g fill="{}" fill-opacity="0.8" stroke="{}" stroke-width="0.5">)", colour, colour);
  for (std::size_t i = 0; i + 1 < edges.size() && i < heights.size(); ++i) {
    if (heights[i] <= 0) continue;
    const double part = (px(edges[i + 1]) - px(edges[i])) / static_cast<double>(std::max<std::size_t>(slots, 1));
    body_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}"/>)", coord(px(edges[i]) + part * static_cast<double>(slot)),
                         coord(py(heights[i])), coord(part), coord(py(y_.lo) - py(heights[i])));
  }
  body_ += "</g>";
}

void Chart::scatter(const std::vector<double>& x, const std::vector<double>& y, std::string_view colour) {
  body_ += fmt::format(R"(<g fill="{}" fill-opacity="0.45">)", colour);
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (std::isfinite(x[i]) && std::isfinite(y[i])) {
      body_ += fmt::format(R"(<circle cx="{}" cy="{}" r="2"/>)", coord(px(x[i])), coord(py(y[i])));
    }
  }
  body_ += "</g>";
}

void Chart::legend(const std::vector<std::pair<std::string, std::string_view>>& entries) {
  double x = width_ - right_;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    x -= 7.0 * static_cast<double>(it->first.size()) + 6;
    body_ += text(x, 16, "start", it->first);
    x -= 16;
    body_ += fmt::format(R"(<rect x="{}" y="7" width="12" height="10" fill="{}"/>)", coord(x), it->second);
    x -= 10;
  }
}

std::string Chart::str() const {
  return open_svg(id_, width_, height_) + text(left_, 17, "start", title_, R"( class="title")") + body_ + "</svg>";
}

std::string heatmap(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                    const std::vector<double>& values) {
  const std::size_t n = labels.size();
  const double cell = std::clamp(250.0 / static_cast<double>(std::max<std::size_t>(n, 1)), 8.0, 28.0);
  const double left = 46, top = 64, side = cell * static_cast<double>(n);
  const int width = static_cast<int>(left + side + 70), height = static_cast<int>(top + side + 12);
  std::string out = open_svg(id, width, height) + text(4, 17, "start", title, R"( class="title")");
  for (std::size_t i = 0; i < n; ++i) {
    const double at = static_cast<double>(i) * cell;
    out += text(left - 4, top + at + cell / 2 + 4, "end", labels[i]);
    const double cx = left + at + cell / 2 + 4;
    out += text(cx, top - 4, "start", labels[i], fmt::format(R"svg( transform="rotate(-90 {} {})")svg", coord(cx), coord(top - 4)));
    for (std::size_t j = 0; j < n; ++j) {
      const double v = i == j || values.size() != n * n ? std::nan("") : values[i * n + j];
      out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} to {}: {}</title></rect>)",
                         coord(left + static_cast<double>(j) * cell), coord(top + at), coord(cell), coord(cell),
                         diverging(v), escape(labels[i]), escape(labels[j]), number(v));
    }
  }
  // The colour key: -1 at the bottom, +1 at the top.
  const double kx = left + side + 14;
  for (int k = 0; k < 20; ++k) {
    out += fmt::format(R"(<rect x="{}" y="{}" width="12" height="{}" fill="{}"/>)", coord(kx),
                       coord(top + side * k / 20.0), coord(side / 20.0 + 0.5), diverging(1.0 - k / 10.0 - 0.05));
  }
  out += text(kx + 16, top + 8, "start", "+1") + text(kx + 16, top + side / 2 + 4, "start", "0") +
         text(kx + 16, top + side, "start", "-1");
  return out + "</svg>";
}

std::string network(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                    const std::vector<double>& sizes, const std::vector<double>& values, double threshold) {
  const std::size_t n = labels.size();
  const double width = 460, height = 440, cx = width / 2, cy = height / 2 + 10, radius = 150;
  const double largest = sizes.empty() ? 1.0 : std::max(*std::max_element(sizes.begin(), sizes.end()), 1e-12);
  auto angle = [&](std::size_t i) { return -kPi / 2 + 2 * kPi * static_cast<double>(i) / static_cast<double>(n); };
  std::string positive, negative, nodes;
  for (std::size_t i = 0; i < n && values.size() == n * n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double v = (values[i * n + j] + values[j * n + i]) / 2;
      if (!(std::abs(v) > threshold)) continue;
      // Strength above the threshold sets width and opacity, so that a dense friendly world
      // does not bury its strongest ties (or the hostile ones, drawn on top) in a hairball.
      const double strength = std::clamp((std::abs(v) - threshold) / std::max(1 - threshold, 1e-9), 0.0, 1.0);
      (v > 0 ? positive : negative) += fmt::format(
          R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{} stroke-opacity="{}"><title>{} - {}: {}</title></line>)",
          coord(cx + radius * std::cos(angle(i))), coord(cy + radius * std::sin(angle(i))),
          coord(cx + radius * std::cos(angle(j))), coord(cy + radius * std::sin(angle(j))), v > 0 ? "#2166ac" : "#b2182b",
          coord(0.6 + 4 * strength), v > 0 ? "" : R"( stroke-dasharray="5 3")", coord(v > 0 ? 0.15 + 0.6 * strength : 0.9),
          escape(labels[i]), escape(labels[j]), number(v));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double r = 5 + 17 * std::sqrt(std::max(i < sizes.size() ? sizes[i] : 0.0, 0.0) / largest);
    const double x = cx + radius * std::cos(angle(i)), y = cy + radius * std::sin(angle(i));
    nodes += fmt::format(R"(<circle cx="{}" cy="{}" r="{}" class="node"><title>{}</title></circle>)", coord(x), coord(y),
                         coord(r), escape(labels[i]));
    const double lx = cx + (radius + r + 8) * std::cos(angle(i)), ly = cy + (radius + r + 8) * std::sin(angle(i));
    const double c = std::cos(angle(i));
    nodes += text(lx, ly + 4, std::abs(c) < 0.3 ? "middle" : (c > 0 ? "start" : "end"), labels[i], R"( class="nodelabel")");
  }
  return open_svg(id, static_cast<int>(width), static_cast<int>(height)) + text(4, 17, "start", title, R"( class="title")") +
         positive + negative + nodes + "</svg>";
}

}  // namespace geosim::svg
