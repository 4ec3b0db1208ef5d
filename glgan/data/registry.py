"""Every dataset file the loaders read: where it comes from and how its content is pinned.

A file is addressed by its path relative to the data directory (see :mod:`glgan.data.files`); sources and
hashes are recorded in ``shared/data/<dataset>/PROVENANCE.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class RemoteFile:
    """One dataset file: where it comes from and how its content is pinned.

    Parameters
    ----------
    urls : tuple of str
        Canonical URL first, then byte-identical mirrors. Empty when there is no public download.
    sha256, git_blob : str or None
        Exactly one should be set; ``git_blob`` is used where only a git blob id is published.
    archive_member : str or None
        When set, ``urls`` point to a zip archive and this is the member's path inside it (it may sit
        under an extra top folder or inside a nested zip; the member is matched by its path suffix).
    note : str
        Where to obtain the file by hand when ``urls`` is empty.
    """

    urls: tuple[str, ...]
    sha256: str | None = None
    git_blob: str | None = None
    archive_member: str | None = None
    note: str = ""

    def expected(self) -> tuple[str, str]:
        """``(hash kind, expected hex digest)``; sha256 wins when both are pinned."""
        if self.sha256:
            return "sha256", self.sha256
        if self.git_blob:
            return "git blob", self.git_blob
        raise ValueError("registry entry pins no hash; every dataset file must be verifiable")

    def source_text(self) -> str:
        if not self.urls:
            return self.note or "no public download URL"
        text = self.urls[0] + (f" (zip archive, member {self.archive_member})" if self.archive_member else "")
        if len(self.urls) > 1:
            text += "; mirrors: " + ", ".join(self.urls[1:])
        return text


_UCI = "https://archive.ics.uci.edu/ml/machine-learning-databases"
_ASU = "https://jundongl.github.io/scikit-feature/files/datasets"
_MNIST_MIRRORS = (
    "http://yann.lecun.com/exdb/mnist",
    "https://ossci-datasets.s3.amazonaws.com/mnist",
    "https://storage.googleapis.com/cvdf-datasets/mnist",
)
_GAS_ZIPS = (
    "https://archive.ics.uci.edu/static/public/224/gas+sensor+array+drift+dataset.zip",
    f"{_UCI}/00224/Dataset.zip",
)
_GAS_SHA256 = {
    1: "f346beee8e0c5e31ac5961845b6d96a70dc1ccf799481592fb2f0d96a81952e6",
    2: "07f7e94a9bf4377240f9b230d20c750932fc785d4766b6a4b7fc370a035c825a",
    3: "a4c7a1a6744df32f0ca139c75c3b4dade7cc99f57a7785d28cb0f62577dd2061",
    4: "bd76f86be34ffe89f46a27c6fc2b5b8c6ebfcf984dff4b3e5befc76d98034b7f",
    5: "3f95cb6e4a39a94bbacd2f1984f1754c9fb5eb3221812975ad70edbcea7abaec",
    6: "83348c504105a5aa5264d1209f2a5d7ba7d9c8bcae60290395f201ac4708ff95",
    7: "3168cb56d5c9bc29c36184e2e73c9f3474adb3c4a893b1ce0d88b6c47698cfdb",
    8: "296346b932893ea18c513e23ac5b660f35e1c499fde8254d4804a2ce8a1b4ca7",
    9: "e019f11f4fa8336ab1f41f7503eb456b3679da0a84eb8032fe6cef90f0547826",
    10: "30011067c7c05c2b01038f84c73af0c6f1820b622fa2b0ad89111cb4c649f791",
}

#: Keyed by path relative to the data directory. Tests may patch entries (e.g. to pin fixture files).
REGISTRY: dict[str, RemoteFile] = {
    # USPS: ASU/scikit-feature .mat (preferred), else the ESL/Kaggle HDF5 variant.
    "usps/USPS.mat": RemoteFile(
        urls=(f"{_ASU}/USPS.mat",), git_blob="ba84f0e79d4cb653e8e6b6b1d31e3ed0c5a7bff0"
    ),
    "usps/usps.h5": RemoteFile(
        urls=(),
        sha256="734f88c541104a956d88be2c95d03b4a463ffd74ccc2ba9c80841fb98e3fcb36",
        note="Kaggle dataset bistaumanga/usps-dataset (login needed), file usps.h5",
    ),
    # MNIST: LeCun's idx files, canonical host first, then the torchvision and TF mirrors.
    **{
        f"mnist/{name}": RemoteFile(urls=tuple(f"{base}/{name}" for base in _MNIST_MIRRORS), sha256=digest)
        for name, digest in {
            "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        }.items()
    },
    # Madelon: ASU .mat (= UCI train followed by UCI valid), else the UCI files.
    "madelon/madelon.mat": RemoteFile(
        urls=(
            f"{_ASU}/madelon.mat",
            "https://github.com/jundongl/scikit-feature/raw/master/skfeature/data/madelon.mat",
        ),
        sha256="7dc9c9ff8d902651948e2df7f9cb6ed38c5d91e4c4159914cecb1ddbc7def12c",
    ),
    "madelon/MADELON/madelon_train.data": RemoteFile(
        urls=(f"{_UCI}/madelon/MADELON/madelon_train.data",),
        sha256="0b6e37711efdc7ab74250c51e7d6966bffd9f8f2b0e9971e882c3a7a380c2314",
    ),
    "madelon/MADELON/madelon_train.labels": RemoteFile(
        urls=(f"{_UCI}/madelon/MADELON/madelon_train.labels",),
        sha256="10bffcc3b017467cb810d326b931951adcbde2b4870faf981da2991993b48689",
    ),
    "madelon/MADELON/madelon_valid.data": RemoteFile(
        urls=(f"{_UCI}/madelon/MADELON/madelon_valid.data",),
        sha256="cb9a46475147de1a58d9f15ef4c318e5b85de344e0f9ab92626fa446aa815dc9",
    ),
    "madelon/madelon_valid.labels": RemoteFile(
        urls=(f"{_UCI}/madelon/madelon_valid.labels",),
        sha256="fbac32fa87fac41ab731994a1c824e7b25396069bff6df242c01fe240fcb34dc",
    ),
    # Gisette: ASU .mat, else the UCI files (valid labels sit outside GISETTE/, as on the UCI server).
    "gisette/gisette.mat": RemoteFile(
        urls=(f"{_ASU}/gisette.mat",), git_blob="09251d363e834a5cec17634245f09ae33f8c2f3b"
    ),
    "gisette/GISETTE/gisette_train.data": RemoteFile(
        urls=(f"{_UCI}/gisette/GISETTE/gisette_train.data",),
        sha256="6d4c5e998afe67937b9e77a3334e03c85e545ebc65a6eb1333ffc14125cfc389",
    ),
    "gisette/GISETTE/gisette_train.labels": RemoteFile(
        urls=(f"{_UCI}/gisette/GISETTE/gisette_train.labels",),
        sha256="42bd681fe51b161f033df773df14a0116e492676555ab14616c1b72edc054075",
    ),
    "gisette/GISETTE/gisette_valid.data": RemoteFile(
        urls=(f"{_UCI}/gisette/GISETTE/gisette_valid.data",),
        sha256="5cea897956dd172a006132738254a27a8f61ecc1ceb6f5b20639c281d2942254",
    ),
    "gisette/gisette_valid.labels": RemoteFile(
        urls=(f"{_UCI}/gisette/gisette_valid.labels",),
        sha256="a6b857a0448023f033c4dda2ef848714b4be2ae45ce598d088fb3efb406e08c5",
    ),
    # Sensorless drive diagnosis: only a git blob id is published for the UCI text file.
    "sensorless/Sensorless_drive_diagnosis.txt": RemoteFile(
        urls=(f"{_UCI}/00325/Sensorless_drive_diagnosis.txt",),
        git_blob="9101c388dfa5ccd3bfbec96c00efe2b1d7c36f32",
    ),
    # Gas sensor array drift (UCI 224): ten batch files shipped in one zip.
    **{
        f"gas_drift/Dataset/batch{i}.dat": RemoteFile(
            urls=_GAS_ZIPS, sha256=digest, archive_member=f"Dataset/batch{i}.dat"
        )
        for i, digest in _GAS_SHA256.items()
    },
}
