#include "geosim/error.h"

#include <fmt/format.h>

namespace geosim {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  if (d.where.line > 0) {
    out = fmt::format("{}:{}:{}: error: {}", d.where.file, d.where.line, d.where.column, d.message);
  } else if (!d.where.file.empty()) {
    out = fmt::format("{}: error: {}", d.where.file, d.message);
  } else {
    out = fmt::format("error: {}", d.message);
  }
  if (d.where.line > 0 && !d.source_line.empty()) {
    // Tabs are kept in the caret line so that the caret lines up in a terminal.
    std::string pad;
    const auto col = static_cast<std::size_t>(d.where.column > 0 ? d.where.column - 1 : 0);
    for (std::size_t i = 0; i < col && i < d.source_line.size(); ++i) {
      pad += d.source_line[i] == '\t' ? '\t' : ' ';
    }
    out += fmt::format("\n  {}\n  {}^", d.source_line, pad);
  }
  return out;
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : Error(diagnostics.empty() ? std::string("invalid input") : format_diagnostic(diagnostics.front())),
      diagnostics_(std::move(diagnostics)) {}

std::string InputError::formatted() const {
  std::string out;
  for (const auto& d : diagnostics_) {
    if (!out.empty()) out += '\n';
    out += format_diagnostic(d);
  }
  return out;
}

}  // namespace geosim
