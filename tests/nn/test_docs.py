"""Every public function and class of nn carries a worked example, run as a doctest."""

import importlib
import inspect
import pkgutil

import pytest

from chainrule import nn

MODULES = [importlib.import_module(f"chainrule.nn.{m.name}")
           for m in pkgutil.iter_modules(nn.__path__)]
PUBLIC = sorted(
    (module.__name__, name) for module in MODULES for name, thing in vars(module).items()
    if not name.startswith("_") and getattr(thing, "__module__", None) == module.__name__
    and (inspect.isfunction(thing) or inspect.isclass(thing)))
# methods a learner calls directly, beyond the constructors
METHODS = ["chainrule.nn.module.Module.save", "chainrule.nn.module.Module.load",
           "chainrule.nn.module.Module.load_into",
           "chainrule.nn.data.Standardizer.fit", "chainrule.nn.data.Standardizer.transform",
           "chainrule.nn.data.Standardizer.fit_transform"]


@pytest.mark.parametrize("module, name", PUBLIC)
def test_every_public_function_and_class_has_an_example(module, name):
    thing = getattr(importlib.import_module(module), name)
    assert ">>>" in (thing.__doc__ or ""), f"{module}.{name} has no >>> example"


@pytest.mark.parametrize("path", METHODS)
def test_saving_loading_and_standardizing_methods_have_examples(path):
    module, cls, method = path.rsplit(".", 2)
    thing = getattr(getattr(importlib.import_module(module), cls), method)
    assert ">>>" in (thing.__doc__ or ""), f"{path} has no >>> example"
