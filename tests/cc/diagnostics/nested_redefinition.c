/* A record redefined inside its own body (found by fuzz/cc_fuzzer: it used to make the
 * outer union contain itself and recurse forever on a member lookup). */
union value { union value { int x; }; };

int f(union value *v) { return v->y; }
