# The two commands a new user needs: `make demo` and `make test`.
# PRESET picks the CMake preset (release by default; CI uses ci, which adds -Werror).
PRESET ?= release
BUILD := build/$(PRESET)
GEOSIM := $(BUILD)/bin/geosim
JOBS ?= $(shell nproc)
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache,)

# Debian packages the build, tests and benchmarks need.
PACKAGES := cmake ninja-build g++ make ccache git pkg-config \
  libeigen3-dev libboost-graph-dev libyaml-cpp-dev libtbb-dev \
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libfmt-dev \
  nlohmann-json3-dev librandom123-dev libsqlite3-dev libopenmpi-dev openmpi-bin libxml2-utils

.PHONY: deps configure build test demo bench clean

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $$missing; \
	fi

$(BUILD)/build.ninja:
	cmake --preset $(PRESET) $(LAUNCHER)

configure: $(BUILD)/build.ninja

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The flagship comparison: Russia pivoting to China (and the US containing China) against both
# pivoting to Asia as a whole, on the calibrated 2013 baseline, over paired stochastic runs.
DEMO_A := scenarios/pivot_to_china.yaml
DEMO_B := scenarios/pivot_to_asia.yaml
DEMO_OUT := out/demo
demo: build
	@$(GEOSIM) validate $(DEMO_A) $(DEMO_B)
	@echo
	$(GEOSIM) compare $(DEMO_A) $(DEMO_B) --runs 200 --design lhs --mode stochastic --force --out $(DEMO_OUT)
	@echo
	@echo "Report: $(DEMO_OUT)/report.html  (data: compare.csv, diff_bands.csv, results.sqlite)"
	@echo
	$(GEOSIM) experiment scenarios/experiments/seed_recommendations.yaml --force --out $(DEMO_OUT)/recommendations
	@echo
	@echo "Report: $(DEMO_OUT)/recommendations/report.html  (data: contrasts.csv, results.sqlite)"

bench: PRESET = bench
bench: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target geosim geosim_micro_bench geosim_macro_bench
	$(BUILD)/bench/micro/geosim_micro_bench
	$(BUILD)/bench/macro/geosim_macro_bench --check bench/macro/checksums.txt .

clean:
	rm -rf build out
