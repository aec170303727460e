"""What the section scripts share: cli (flags), ending (signals, whole
files), speed, evaluation, report (the classifiers' output), experiment
(a comparison's repeats), summary (tables), plots. Importing it changes
nothing in the importing program."""
