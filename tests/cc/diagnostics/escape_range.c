/* Hex and octal escapes that do not fit a char are errors, as clang-19 reports them. */
char hex = '\x123';
char octal = '\777';
const char text[] = "ok\x41 then \x1ff";
int fits = '\xff' + '\377';
