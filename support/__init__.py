"""What the section scripts share, so that each script reads like its
tutorial section. Importing it changes nothing in the importing program.

cli         flags with the tutorial's defaults, plain bounds, one-line errors
ending      Ctrl-C, SIGTERM, SIGHUP while main runs; files written whole
speed       settings that change speed, never results
evaluation  accuracy and loss by timestep beside the position-only baseline
report      what the classifiers print: progress, listing, accuracy
experiment  a comparison's listing run --repeats times, paired; its files
summary     means, 95% intervals and paired differences, as tables
plots       the banded plots and the one-sequence picture
"""
