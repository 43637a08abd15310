import numpy as np
import pytest

from apps.assessments.services.datasets import dataset_upload, dataset_version_from_arrays


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def upload(in_a):
    def make(kind: str, *lines: str, name: str | None = None, **kwargs):
        return dataset_upload(
            content=csv(*lines), file_format="csv", name=name or kind, kind=kind, **kwargs
        )

    return make


def loan_book_arrays(n: int = 400, seed: int = 5) -> dict[str, np.ndarray]:
    """A generated book where income lowers and debt ratio raises the chance of default."""
    rng = np.random.default_rng(seed)
    income = rng.normal(50, 15, n)
    debt = rng.uniform(0, 1, n)
    logit = -1.5 - 0.05 * (income - 50) + 2.0 * (debt - 0.5)
    default = (rng.uniform(0, 1, n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    return {
        "loan_id": np.array([f"L{i:05}" for i in range(n)]),
        "ead": np.round(rng.uniform(1000, 20000, n), 2),
        "default": default,
        "income": income,
        "debt_ratio": debt,
    }


@pytest.fixture
def loan_book(in_a):
    return dataset_version_from_arrays(arrays=loan_book_arrays(), name="book", kind="loan_book")
