// libsystemc.so holds a main() that calls sc_main(), so every executable linking SystemC must
// define sc_main (extern "C", as <systemc> declares it). In a libFuzzer harness libFuzzer's own
// main() runs instead and this is unused.
extern "C" int sc_main(int, char*[]) {
  return 0;
}
