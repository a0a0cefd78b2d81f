#include "record_codec.h"

#include <bit>
#include <cstring>

namespace geosim::sweep {
namespace {

class Writer {
 public:
  void u64(std::uint64_t value) { append(&value, sizeof value); }
  void f64(double value) { u64(std::bit_cast<std::uint64_t>(value)); }
  void text(const std::string& value) {
    u64(value.size());
    append(value.data(), value.size());
  }
  void doubles(const std::vector<double>& values) {
    u64(values.size());
    append(values.data(), values.size() * sizeof(double));
  }
  std::string take() { return std::move(bytes_); }

 private:
  void append(const void* data, std::size_t size) { bytes_.append(static_cast<const char*>(data), size); }
  std::string bytes_;
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  std::uint64_t u64() {
    std::uint64_t value = 0;
    take(&value, sizeof value);
    return value;
  }
  std::string text() {
    std::string value(checked_size(u64(), 1), '\0');
    take(value.data(), value.size());
    return value;
  }
  std::vector<double> doubles() {
    std::vector<double> values(checked_size(u64(), sizeof(double)));
    take(values.data(), values.size() * sizeof(double));
    return values;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  std::size_t checked_size(std::uint64_t count, std::size_t unit) const {
    if (count > (bytes_.size() - at_) / unit) throw Error("a message between ranks is truncated");
    return static_cast<std::size_t>(count);
  }
  void take(void* out, std::size_t size) {
    if (size > bytes_.size() - at_) throw Error("a message between ranks is truncated");
    std::memcpy(out, bytes_.data() + at_, size);
    at_ += size;
  }
  const std::string& bytes_;
  std::size_t at_ = 0;
};

void encode_record(Writer& out, const RunRecord& record) {
  out.u64(record.ok ? 1 : 0);
  out.text(record.error);
  out.doubles(record.inputs);
  out.doubles(record.summary);
  out.doubles(record.outcomes);
  out.u64(record.series.rows.size());
  for (const auto& row : record.series.rows) out.doubles(row);
  out.doubles(record.initial_affinity);
  out.doubles(record.final_affinity);
  out.doubles(record.final_capability);
}

RunRecord decode_record(Reader& in) {
  RunRecord record;
  record.ok = in.u64() == 1;
  record.error = in.text();
  record.inputs = in.doubles();
  record.summary = in.doubles();
  record.outcomes = in.doubles();
  const std::uint64_t rows = in.u64();
  for (std::uint64_t r = 0; r < rows; ++r) record.series.rows.push_back(in.doubles());
  record.initial_affinity = in.doubles();
  record.final_affinity = in.doubles();
  record.final_capability = in.doubles();
  return record;
}

}  // namespace

std::string encode_runs(const std::vector<ComputedRun>& runs) {
  Writer out;
  out.u64(runs.size());
  for (const ComputedRun& run : runs) {
    out.u64(run.records.size());
    for (std::size_t v = 0; v < run.records.size(); ++v) {
      encode_record(out, run.records[v]);
      out.text(run.rows[v]);
    }
  }
  return out.take();
}

std::vector<ComputedRun> decode_runs(const std::string& bytes) {
  Reader in(bytes);
  const std::uint64_t count = in.u64();
  if (count > bytes.size()) throw Error("a message between ranks is malformed");
  std::vector<ComputedRun> runs(count);
  for (ComputedRun& run : runs) {
    const std::uint64_t variants = in.u64();
    if (variants > bytes.size()) throw Error("a message between ranks is malformed");
    for (std::uint64_t v = 0; v < variants; ++v) {
      run.records.push_back(decode_record(in));
      run.rows.push_back(in.text());
    }
  }
  if (!in.done()) throw Error("a message between ranks has trailing bytes");
  return runs;
}

}  // namespace geosim::sweep
