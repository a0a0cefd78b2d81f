#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace geosim {

/// A place in a source file. Lines and columns are 1-based; line 0 means "no location".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/// One located problem with an input, in compiler style.
struct Diagnostic {
  SourceLocation where;
  std::string message;      ///< without the "error: " prefix
  std::string source_line;  ///< the text of line `where.line`, empty when unknown
};

/// Formats one diagnostic as
///   file:line:col: error: message
///     <source line>
///     <spaces>^
/// (the last two lines only when the source line is known).
std::string format_diagnostic(const Diagnostic& diagnostic);

/// Base of every exception geosim throws for a condition that ends the work.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Invalid user input (a scenario, a flag value). Carries every problem found, so that all of
/// them can be reported at once. The CLI exits with status 2 on it.
class InputError : public Error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  /// All diagnostics, formatted and joined by newlines.
  std::string formatted() const;

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// A file could not be read or written. The CLI exits with status 1 on it.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace geosim
