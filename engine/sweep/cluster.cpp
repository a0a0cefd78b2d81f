// The MPI cluster behind include/geosim/cluster.h. Compiled with GEOSIM_WITH_MPI=1 when Open
// MPI is found; without it, launch_cluster() always returns null and geosim runs as one
// process. Started without mpirun, the same binary does not initialise MPI at all (so it needs
// no MPI runtime), which is decided from the variables Open MPI's launcher sets.
#include "geosim/cluster.h"

#include <algorithm>
#include <cstdlib>

#if GEOSIM_WITH_MPI
#include <mpi.h>
#endif

namespace geosim {

#if GEOSIM_WITH_MPI
namespace {

constexpr int kTag = 7;

class MpiCluster final : public Cluster {
 public:
  MpiCluster(int* argc, char*** argv) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiCluster() override { MPI_Finalize(); }
  MpiCluster(const MpiCluster&) = delete;
  MpiCluster& operator=(const MpiCluster&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::vector<std::uint64_t> broadcast(std::vector<std::uint64_t> words) override {
    std::uint64_t count = words.size();
    MPI_Bcast(&count, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    words.resize(count);
    MPI_Bcast(words.data(), static_cast<int>(count), MPI_UINT64_T, 0, MPI_COMM_WORLD);
    return words;
  }

  // Large messages go in pieces below MPI's int count limit.
  void send_to_root(const std::string& bytes) override {
    std::uint64_t size = bytes.size();
    MPI_Send(&size, 1, MPI_UINT64_T, 0, kTag, MPI_COMM_WORLD);
    for (std::uint64_t at = 0; at < size; at += kPiece) {
      MPI_Send(bytes.data() + at, static_cast<int>(std::min(kPiece, size - at)), MPI_BYTE, 0, kTag, MPI_COMM_WORLD);
    }
    sent_ += size + sizeof size;
  }

  std::string receive(int from) override {
    std::uint64_t size = 0;
    MPI_Recv(&size, 1, MPI_UINT64_T, from, kTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    std::string bytes(size, '\0');
    for (std::uint64_t at = 0; at < size; at += kPiece) {
      MPI_Recv(bytes.data() + at, static_cast<int>(std::min(kPiece, size - at)), MPI_BYTE, from, kTag, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
    }
    return bytes;
  }

  bool all_ok(bool ok) override {
    int mine = ok ? 1 : 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    return all != 0;
  }

  std::uint64_t bytes_sent() const override { return sent_; }

  [[noreturn]] void abort(int code) override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);
  }

 private:
  static constexpr std::uint64_t kPiece = 1u << 30;
  int rank_ = 0;
  int size_ = 1;
  std::uint64_t sent_ = 0;
};

bool started_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr ||
         std::getenv("PMI_RANK") != nullptr;
}

}  // namespace

std::unique_ptr<Cluster> launch_cluster(int* argc, char*** argv) {
  if (!started_by_mpirun()) return nullptr;
  return std::make_unique<MpiCluster>(argc, argv);
}

bool built_with_mpi() { return true; }

#else

std::unique_ptr<Cluster> launch_cluster(int*, char***) { return nullptr; }

bool built_with_mpi() { return false; }

#endif

}  // namespace geosim
