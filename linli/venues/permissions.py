"""What each role may do with venues, bookings, kits and convenience services, and how their
rows map to scope.

- The community admin and the service centre staff (`service`) run everything: venues, hours,
  closures, approvals, check-in, kits and loans, service records, exports.
- Grid workers see (and lend from the kits of) their own grid's micro-homes.
- Party organisers, volunteer team leaders and the training base staff book venues for a team,
  an organisation or a class.
- Subdistrict and district viewers read.
- Residents browse the venues residents may book, book a free slot, borrow from a kit and rate
  the services they received (portal: narrowed to the signed-in resident himself).
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.venues.models import (
    Booking,
    BookingSeries,
    Closure,
    Kit,
    KitItem,
    Loan,
    ServiceCategory,
    ServiceProvider,
    ServiceRecord,
    ServiceSchedule,
    Venue,
)

VIEW = "venues.view"  # venues, bookings, utilisation
MANAGE = "venues.manage"  # venues, closures, approvals, check-in, any booking
BOOK = "venues.book"  # book for a team, an organisation or a class
KITS = "venues.kits"  # lend and take back kit items
SERVICES = "venues.services"  # the service catalogue and service records
EXPORT = "venues.export"
PORTAL = "venues.portal"  # a resident's own bookings, loans and service records

grant(Role.COMMUNITY_ADMIN, VIEW, MANAGE, BOOK, KITS, SERVICES, EXPORT)
grant(Role.SERVICE_STAFF, VIEW, MANAGE, BOOK, KITS, SERVICES, EXPORT)
grant(Role.GRID_WORKER, VIEW, KITS)
grant(Role.PARTY_ORGANISER, VIEW, BOOK)
grant(Role.VOLUNTEER, VIEW, BOOK)
grant(Role.TRAINING_STAFF, VIEW, BOOK)
grant(Role.SUBDISTRICT_VIEWER, VIEW)
grant(Role.DISTRICT_VIEWER, VIEW)
grant(Role.RESIDENT, PORTAL)

register_scope(Venue, community="community_id", grid="grid_id")
register_scope(Closure, community="venue__community_id", grid="venue__grid_id")
register_scope(Kit, community="venue__community_id", grid="venue__grid_id")
register_scope(KitItem, community="kit__venue__community_id", grid="kit__venue__grid_id")
register_scope(BookingSeries, community="venue__community_id", grid="venue__grid_id")
register_scope(
    Booking, community="venue__community_id", grid="venue__grid_id", household="household_id"
)
register_scope(
    Loan,
    community="item__kit__venue__community_id",
    grid="item__kit__venue__grid_id",
    household="household_id",
)
register_scope(ServiceCategory, community="community_id")
register_scope(ServiceProvider, community="community_id")
register_scope(ServiceSchedule, community="category__community_id")
register_scope(ServiceRecord, community="community_id", household="household_id")
