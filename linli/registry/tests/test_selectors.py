from linli.registry.selectors import ResidentFilters, resident_list


def test_grid_worker_lists_only_her_grid(world, worker_a, actor_of):
    names = {r.name for r in resident_list(actor_of(worker_a), ResidentFilters())}
    assert names == {"张晓", "张小明", "李芳"}


def test_pinyin_initials_find_the_resident(world, admin, actor_of):
    found = {r.name for r in resident_list(actor_of(admin), ResidentFilters(q="zx"))}
    # Initials match as a prefix: 张晓 (zx) and 张小明 (zxm), nobody else.
    assert found == {"张晓", "张小明"}


def test_room_code_finds_the_household_members(world, admin, actor_of):
    found = {r.name for r in resident_list(actor_of(admin), ResidentFilters(q="12-2-301"))}
    assert found == {"张晓", "张小明"}


def test_phone_finds_the_resident(world, admin, actor_of):
    found = [r.name for r in resident_list(actor_of(admin), ResidentFilters(q="139 0000 0001"))]
    assert found == ["王建国"]


def test_subdistrict_viewer_sees_both_communities(world, viewer, actor_of):
    names = {r.name for r in resident_list(actor_of(viewer), ResidentFilters())}
    assert "赵敏" in names and "张晓" in names


def test_resident_sees_only_his_household(world, resident_user, actor_of):
    names = {r.name for r in resident_list(actor_of(resident_user), ResidentFilters())}
    assert names == {"张晓", "张小明"}
