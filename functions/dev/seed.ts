import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import * as Claims from "../core/claims.js";
import * as Community from "../core/community.js";
import * as Hours from "../core/hours.js";
import * as Rollups from "../core/rollups.js";
import { findOrCreateUser, loadActor, type Actor } from "../core/identity.js";
import * as Units from "../core/units.js";
import { write } from "../core/storage.js";
import * as units from "../store/entities/unit.js";
import type { UnitKind } from "../store/entities/unit.js";
import type { Role } from "../core/model.js";
import * as Wish from "../core/wish.js";
import { dayOf } from "../core/period.js";
import { getItem, getMany, putItem, queryAll, type Store } from "../store/client.js";
import * as branchTally from "../store/entities/branch-tally.js";
import * as communityTally from "../store/entities/community-tally.js";
import * as demo from "../store/entities/demo-registry.js";
import * as memberTally from "../store/entities/member-tally.js";
import * as monthStats from "../store/entities/month-stats.js";
import * as roles from "../store/entities/role.js";

export const demoCommunityId = "demo-xingfuli";
export const demoCountyId = "demo-fengxian";

export interface DemoPerson {
  id: string;
  phone: string;
  name: string;
  role: Role;
  branchId?: string;
  /** the unit a staff member serves (the county, a street, a community), or the grid a leader answers for */
  unitId?: string;
  gridLeader?: boolean;
  /** the community of a member or resident outside the demo community */
  communityId?: string;
}

export interface DemoUnit {
  id: string;
  kind: UnitKind;
  name: string;
  parentId?: string;
}

export async function demoPeople(store: Store): Promise<{ communityId: string; units: DemoUnit[]; people: DemoPerson[] }> {
  const item = await getItem(store, demo.key());
  const found = item ? demo.fromItem<DemoPerson>(item) : { communityId: demoCommunityId, people: [] };
  return { units: [], ...found } as { communityId: string; units: DemoUnit[]; people: DemoPerson[] };
}

/** The seed acts as the platform's operator: only an admin may make a county. */
const operator: Actor = {
  id: "system",
  name: "演示数据",
  phone: "",
  lang: "zh-CN",
  named: true,
  admin: true,
  communities: [],
  units: [],
};

/** Two grids of the demo community, side by side, around the seeded wishes' places. */
const grids = [
  {
    id: "demo-grid-1",
    name: "幸福里第一网格",
    area: [
      { lat: 33.067, lng: 107.023 },
      { lat: 33.067, lng: 107.02575 },
      { lat: 33.0702, lng: 107.02575 },
      { lat: 33.0702, lng: 107.023 },
    ],
  },
  {
    id: "demo-grid-2",
    name: "幸福里第二网格",
    area: [
      { lat: 33.0702, lng: 107.02575 },
      { lat: 33.0702, lng: 107.0285 },
      { lat: 33.074, lng: 107.0285 },
      { lat: 33.074, lng: 107.02575 },
    ],
  },
];

/**
 * The county around the demo community: 凤县 with two towns, the demo community and two more,
 * each with its own staff, branches, a member and a resident. Made through the units' own
 * functions; the demo community keeps its id and becomes a unit of the first town.
 */
async function seedCounty(store: Store, person: (p: Omit<DemoPerson, "id">) => Promise<Actor>) {
  const made: DemoUnit[] = [];
  const unit = async (kind: UnitKind, id: string, name: string, parentId?: string, area?: { lat: number; lng: number }[]) => {
    const u = await Units.create(store, operator, { kind, id, name, parentId, area });
    made.push({ id: u.id, kind: u.kind, name: u.name, parentId: u.parentId });
    return u;
  };
  const county = await unit("county", demoCountyId, "凤县");
  const towns = [
    await unit("street", "demo-shuangshipu", "双石铺镇", county.id),
    await unit("street", "demo-fengzhou", "凤州镇", county.id),
  ];
  // The demo community, as it was before units, joins the first town under its own id.
  const home = { id: demoCommunityId, kind: "community" as const, name: "幸福里社区", parentId: towns[0].id };
  if (!(await Community.exists(store, demoCommunityId))) {
    await Community.create(store, { id: demoCommunityId, name: home.name, branches: ["第一党支部", "第二党支部", "青年志愿服务队"] });
  }
  await write(store, [units.create({ ...home, path: [county.id, towns[0].id, home.id], createdAt: new Date().toISOString() })]);
  made.push(home);
  const others = [
    { id: "demo-minzhu", name: "民主社区", town: towns[0] },
    { id: "demo-fengzhou-village", name: "凤州村", town: towns[1] },
  ];
  for (const o of others) {
    await Community.create(store, { id: o.id, name: o.name, branches: ["党支部"] }, (id, at) => [
      units.create({ id, kind: "community", name: o.name, parentId: o.town.id, path: [county.id, o.town.id, id], createdAt: at }),
    ]);
    made.push({ id: o.id, kind: "community", name: o.name, parentId: o.town.id });
  }
  for (const g of grids) await unit("grid", g.id, g.name, demoCommunityId, g.area);

  const staff: Omit<DemoPerson, "id">[] = [
    { phone: "+8613800000010", name: "赵部长", role: "staff", unitId: county.id },
    { phone: "+8613800000011", name: "孙书记", role: "staff", unitId: towns[0].id },
    { phone: "+8613800000012", name: "钱书记", role: "staff", unitId: towns[1].id },
    { phone: "+8613800000002", name: "周主任", role: "staff", unitId: others[0].id },
    { phone: "+8613800000003", name: "吴支书", role: "staff", unitId: others[1].id },
  ];
  for (const s of staff) {
    await Units.appoint(store, operator, s.unitId!, { phone: s.phone, name: s.name });
    await person(s);
  }
  for (const [i, o] of others.entries()) {
    const branchId = (await Community.fromId(store, o.id)).branches[0].id;
    const member = await findOrCreateUser(store, { phone: `+86139000001${String(i + 1).padStart(2, "0")}`, name: ["郑华", "冯军"][i] });
    await Community.appoint(store, { communityId: o.id, userId: member.id, name: member.name, roles: ["member"], branchId });
    await person({ phone: member.phone, name: member.name, role: "member", branchId, communityId: o.id });
    await person({
      phone: `+86137000001${String(i + 1).padStart(2, "0")}`,
      name: ["钱奶奶", "冯大爷"][i],
      role: "resident",
      communityId: o.id,
    });
  }
  return made;
}

const members = ["李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏", "徐刚", "孙悦", "马超"];
const residents = ["王奶奶", "李大爷", "张阿姨", "陈先生"];

const here = { lat: 33.0676, lng: 107.0238 };
const near = (i: number) => ({ lat: here.lat + i * 0.0004, lng: here.lng + i * 0.0003 });
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
/** A window on a coming day, China time: `in` days from today, from one hour to another. */
const on = (inDaysFromToday: number, fromHour: number, toHour: number) => {
  const day = dayOf(inDays(inDaysFromToday));
  const at = (h: number) => new Date(`${day}T${String(h).padStart(2, "0")}:00:00+08:00`).toISOString();
  return { from: at(fromHour), to: at(toHour) };
};
/** A window around the seeding itself, so the wishes worked on here pass the arrival and departure rules. */
const now = () => ({ from: new Date(Date.now() - 15 * 60_000).toISOString(), to: new Date(Date.now() + 15 * 60_000).toISOString() });

/**
 * The seed is written before the local server reads the table's stream, and a stream read for the
 * first time is read from its end (the seed is history, not news): the towns' and the county's
 * figures would miss every seeded minute while the standings, written whole from a community's own
 * items at its next change, would have them. So each community's figure items (month stats,
 * community, branch and member tallies) are handed to the roll-up keeper here, as the stream hands
 * over a new item; each record's id names the item, so one handed over twice still adds once.
 */
async function rollUp(store: Store, communityIds: string[]) {
  const keeper = Rollups.keeper(store);
  for (const id of communityIds) {
    const members = (await queryAll(store, roles.ofCommunity(id, { role: "member" }))).map(roles.fromItem);
    const items = [
      ...(await queryAll(store, monthStats.months(id))),
      ...(await getMany(store, [communityTally.key(id)])),
      ...(await queryAll(store, branchTally.ofCommunity(id))),
      ...(await getMany(
        store,
        members.map((m) => memberTally.key(m.userId, id)),
      )),
    ];
    for (const item of items) {
      const image = marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
      await keeper.apply({ eventID: `demo#${item.pk}#${item.sk}`, eventName: "INSERT", dynamodb: { NewImage: image } });
    }
  }
}

/**
 * Seeds the demo community once: branches, a staff user, a dozen members, residents, and
 * wishes in every state, all made through the same domain functions the API uses, so their
 * timelines, claims and hours are what real use would leave behind.
 */
export async function seedDemo(store: Store): Promise<{ seeded: boolean }> {
  if (await getItem(store, demo.key())) return { seeded: false };
  const people: DemoPerson[] = [];
  const later: DemoPerson[] = [];
  const tree = await seedCounty(store, async (p) => {
    const user = await findOrCreateUser(store, { phone: p.phone, name: p.name });
    later.push({ id: user.id, ...p });
    return (await loadActor(store, user.id)) as Actor;
  });
  const community = await Community.fromId(store, demoCommunityId);
  const person = async (phone: string, name: string, role: Role, branchId?: string) => {
    const user = await findOrCreateUser(store, { phone, name });
    if (role !== "resident") {
      await Community.appoint(store, {
        communityId: demoCommunityId,
        userId: user.id,
        name,
        roles: role === "staff" ? ["staff"] : ["member"],
        branchId,
      });
    }
    people.push({ id: user.id, phone, name, role, branchId, ...(role === "staff" ? { unitId: demoCommunityId } : {}) });
    return (await loadActor(store, user.id)) as Actor;
  };

  const staff = await person("+8613800000001", "王主任", "staff");
  const m: Actor[] = [];
  for (const [i, name] of members.entries()) {
    m.push(await person(`+86139000000${String(i + 1).padStart(2, "0")}`, name, "member", community.branches[i % 3].id));
  }
  const r: Actor[] = [];
  for (const [i, name] of residents.entries()) r.push(await person(`+86137000000${String(i + 1).padStart(2, "0")}`, name, "resident"));
  // Two members answer for the grids (红色管家), before any wish is posted in them.
  for (const [i, grid] of grids.entries()) {
    const leader = people.find((p) => p.name === members[10 + i])!;
    await Units.appoint(store, operator, grid.id, { phone: leader.phone, name: leader.name, leader: true });
    Object.assign(leader, { gridLeader: true, unitId: grid.id });
  }

  const post = async (
    owner: Actor,
    i: number,
    category: Wish.NewWish["category"],
    title: string,
    description: string,
    window?: Wish.NewWish["window"],
  ) =>
    (
      await Wish.create(store, owner, {
        communityId: demoCommunityId,
        category,
        title,
        description,
        address: `幸福里${i + 1}号楼`,
        location: near(i),
        window,
      })
    ).wish.id;
  const approve = (id: string, slots = 1, deadline = inDays(5)) =>
    Wish.approve(store, staff, id, { slots, estimatedMinutes: 60, deadline });
  const spot = (i: number) => ({ ...near(i), accuracy: 15 });

  // submitted
  await post(r[0], 0, "repair", "厨房水龙头漏水", "水龙头一直滴水，想请人帮忙换个阀芯。", on(1, 9, 11));
  await post(r[1], 1, "digital", "教我用手机挂号", "想学会用手机在医院公众号上预约挂号。");
  // open, one of them a group job
  await approve(await post(r[2], 2, "carry", "帮忙把旧衣柜搬下楼", "六楼没有电梯，衣柜比较重，需要两个人。"), 2);
  await approve(await post(r[3], 3, "elderly", "周末陪老人聊聊天", "父亲独居，希望周末有人陪他下棋聊天。", on(3, 14, 17)));
  await approve(await post(r[1], 4, "farming", "食用菌菌棒上架", "合作社六千袋菌棒需要一天内上架，需要二十一人。", on(2, 7, 18)), 21);
  // claimed
  const claimed = await post(r[0], 5, "errand", "代取降压药", "社区卫生站开的药，帮忙取一下送到家。", on(1, 15, 16));
  await approve(claimed);
  await Claims.claim(store, m[0], claimed);
  // in progress
  const working = await post(r[2], 6, "cleaning", "楼道杂物清理", "三单元楼道堆了不少纸箱，想请志愿者一起清理。");
  await approve(working, 2);
  await Claims.dispatch(store, staff, working, { memberIds: [m[1].id, m[2].id] });
  await Claims.checkIn(store, m[1], working, spot(6));
  // completed
  const done = await post(r[3], 7, "repair", "更换楼道灯泡", "二楼楼道灯坏了，晚上看不清。", now());
  await approve(done);
  await Claims.claim(store, m[3], done);
  await Claims.checkIn(store, m[3], done, spot(7));
  await Claims.checkOut(store, m[3], done, spot(7));
  await Claims.complete(store, m[3], done, { note: "已换上节能灯。" });
  // confirmed
  const thanked = await post(r[1], 8, "children", "辅导孙子数学作业", "孙子上四年级，数学作业想请人辅导。", now());
  await approve(thanked);
  await Claims.claim(store, m[4], thanked);
  await Claims.checkIn(store, m[4], thanked, spot(8));
  await Claims.checkOut(store, m[4], thanked, spot(8));
  await Claims.complete(store, m[4], thanked, { note: "讲了分数的加减法。" });
  await Wish.confirm(store, r[1], thanked, { rating: 5, comment: "老师很耐心，谢谢！" });
  // closed, with hours
  for (const [i, [owner, members, title]] of (
    [
      [r[0], [m[5], m[6]], "陪同去医院复查"],
      [r[2], [m[7]], "修理自行车"],
    ] as const
  ).entries()) {
    const id = await post(owner, 9 + i, i ? "repair" : "elderly", title, `${title}，谢谢志愿者。`, now());
    await approve(id, members.length);
    for (const member of members) await Claims.claim(store, member, id);
    const { handshakeCode } = await Wish.load(store, id);
    for (const member of members) {
      await Claims.checkIn(store, member, id, spot(9 + i));
      await Claims.checkOut(store, member, id, { ...spot(9 + i), code: handshakeCode });
    }
    await Claims.complete(store, members[0], id, { note: "已完成。" });
    await Wish.confirm(store, owner, id, { rating: 5 });
    const minutes = Object.fromEntries(members.map((x, j) => [x.id, 90 + 30 * j]));
    await Hours.verify(store, staff, id, { minutes, reason: "按实际服务时长补录（演示数据）", staffRating: 5 - i });
  }
  // rejected, cancelled, expired
  await Wish.reject(store, staff, await post(r[3], 11, "other", "帮忙代缴罚款", "想请人帮忙代缴交通罚款。"), {
    reason: "涉及个人证件与资金，请本人到窗口办理。",
  });
  await Wish.cancel(store, r[0], await post(r[0], 12, "errand", "代买早餐", "明早想请人帮忙买两个包子。"), { reason: "家人已经买了。" });
  const late = await post(r[2], 13, "elderly", "重阳节陪老人包饺子", "重阳节活动，想请志愿者陪老人一起包饺子。");
  await Wish.approve(store, staff, late, { slots: 3, estimatedMinutes: 120, deadline: inDays(0.0001) });
  await Wish.expire(store, late, new Date(Date.now() + 86_400_000));

  await rollUp(
    store,
    tree.filter((u) => u.kind === "community").map((u) => u.id),
  );
  await putItem(store, demo.put({ communityId: demoCommunityId, units: tree, people: [...people, ...later] }));
  return { seeded: true };
}
