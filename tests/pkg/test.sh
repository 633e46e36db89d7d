#!/bin/bash
# Packaging: the bash completion (completion.sh).
# Prints "ok NAME" / "not ok NAME - reason".
here=$(dirname "$0")
bash "$here/completion.sh"
