"""Reencuentro's stages as parts of other record-linkage toolkits.

:mod:`~linkage.adapters.recordlinkage`: blocking rules as ``recordlinkage.Index`` algorithms and
comparisons as ``recordlinkage.Compare`` features.
"""
