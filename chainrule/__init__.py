"""The chainrule command line: steps | draw | check | quiz | train."""
