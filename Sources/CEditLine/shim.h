#ifndef TUTOR_CEDITLINE_SHIM_H
#define TUTOR_CEDITLINE_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#endif
