"""Well-known locations inside the project and beside it."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROCEDURES_DATA = PROJECT_ROOT / "procedures_data"
CATALOGUE_FILE = PROCEDURES_DATA / "catalogue.jsonl.gz"
LEXICON_FILE = PROCEDURES_DATA / "lexicon.txt"
EXAMPLES_DIR = PROCEDURES_DATA / "examples.d"
EXAMPLES_CACHE_DIR = PROJECT_ROOT / "data" / "cache" / "examples"  # data/ is not versioned
SHARED_DIR = PROJECT_ROOT.parent / "shared"
RAW_DVC_DIR = SHARED_DIR / "data" / "dvc"
DEV_QUESTIONS = SHARED_DIR / "eval" / "dev_questions.jsonl"
