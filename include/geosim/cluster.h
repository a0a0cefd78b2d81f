#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace geosim {

/// The processes a sweep is shared between (README, "On a cluster"). Rank 0 plans, commits and
/// writes; every rank computes a share of each round of runs. The MPI implementation is made
/// by launch_cluster(); a null cluster means one process.
class Cluster {
 public:
  virtual ~Cluster() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Collective: every rank returns rank 0's `words` (the others' arguments are ignored).
  virtual std::vector<std::uint64_t> broadcast(std::vector<std::uint64_t> words) = 0;
  /// From this (non-zero) rank to rank 0; blocks until the buffer can be reused.
  virtual void send_to_root(const std::string& bytes) = 0;
  /// On rank 0: the next message from `rank`, in the order it was sent.
  virtual std::string receive(int rank) = 0;
  /// Collective: whether `ok` is true on every rank.
  virtual bool all_ok(bool ok) = 0;
  /// Bytes this process has sent with send_to_root.
  virtual std::uint64_t bytes_sent() const = 0;
  /// Ends the whole job at once with `code` (every rank), for an error after the ranks have
  /// started working together, when waiting ranks would otherwise hang.
  [[noreturn]] virtual void abort(int code) = 0;
};

/// The MPI cluster when this process was started by mpirun (and geosim was built with MPI):
/// initialises MPI and returns the cluster; otherwise null, and nothing is initialised. MPI is
/// finalised when the returned object is destroyed.
std::unique_ptr<Cluster> launch_cluster(int* argc, char*** argv);

/// Whether this binary was built with MPI.
bool built_with_mpi();

}  // namespace geosim
