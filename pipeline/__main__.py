"""`python -m junheng`: the command line."""
from junheng.cli import cli

if __name__ == "__main__":
    cli(prog_name="junheng")
