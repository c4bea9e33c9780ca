// Catch2 entry point for all core tests (one file per core module beside this one).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
