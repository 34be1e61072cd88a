"""Every importable table, in the order the import page lists them."""

from regietafel.housing import importers as housing_importers  # noqa: F401
from regietafel.indicators import importers as indicators_importers  # noqa: F401
from regietafel.matching import importers as matching_importers  # noqa: F401
from regietafel.persons import importers as persons_importers  # noqa: F401
from regietafel.reception import importers as reception_importers  # noqa: F401
from regietafel.regions import importers as regions_importers  # noqa: F401
