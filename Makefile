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
  nlohmann-json3-dev librandom123-dev

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

# Until `geosim compare` exists, the demo runs the two pivots once each and prints them side by side.
DEMO_A := scenarios/illustrative/pivot_to_china.yaml
DEMO_B := scenarios/illustrative/pivot_to_asia.yaml
demo: build
	@$(GEOSIM) validate $(DEMO_A) $(DEMO_B)
	@$(GEOSIM) run $(DEMO_A) --out out/demo/pivot_to_china > out.demo.a.txt
	@$(GEOSIM) run $(DEMO_B) --out out/demo/pivot_to_asia > out.demo.b.txt
	@echo
	@echo "Pivot to China (A) against pivot to Asia (B), one expected-mode run each:"
	@awk 'NR==FNR { if (FNR > 1) b[$$1] = $$2; next } \
	  FNR == 1 { printf "%-28s %10s %10s %10s\n", "metric (final)", "A: China", "B: Asia", "B - A"; next } \
	  { printf "%-28s %10.4f %10.4f %+10.4f\n", $$1, $$2, b[$$1], b[$$1] - $$2 }' out.demo.b.txt out.demo.a.txt
	@rm -f out.demo.a.txt out.demo.b.txt
	@echo
	@echo "Trajectories: out/demo/pivot_to_china/timeseries.csv and out/demo/pivot_to_asia/timeseries.csv"

bench: PRESET = bench
bench: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target geosim_micro_bench
	$(BUILD)/bench/micro/geosim_micro_bench

clean:
	rm -rf build out
