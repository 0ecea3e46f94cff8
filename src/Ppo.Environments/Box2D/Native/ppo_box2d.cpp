// Native side of Ppo.Environments.Box2D.LunarLander: builds the LunarLander-v3 world in Box2D 2.4 and steps it.
//
// The shim owns only the physics: the world, the bodies, the joints and the contact flags. Everything that draws
// random numbers or decides about rewards lives in C#, which passes the engine impulses in world coordinates and
// reads back the lander state, so that one environment step crosses the managed/native boundary once.
//
// Geometry, masses and joint settings follow Gymnasium's gymnasium/envs/box2d/lunar_lander.py (LunarLander-v3).

#include <box2d/box2d.h>

#include <cstdint>
#include <new>

#define PPO_EXPORT extern "C" __attribute__((visibility("default")))

namespace
{
constexpr float Scale = 30.0f;                        // pixels per metre
constexpr float ViewportWidth = 600.0f / Scale;       // 20 m
constexpr float ViewportHeight = 400.0f / Scale;      // 13.33 m
constexpr int TerrainChunks = 11;
constexpr float TimeStep = 1.0f / 50.0f;              // FPS 50
constexpr int VelocityIterations = 6 * 30;
constexpr int PositionIterations = 2 * 30;

constexpr float LegAway = 20.0f / Scale;
constexpr float LegDown = 18.0f / Scale;
constexpr float LegHalfWidth = 2.0f / Scale;
constexpr float LegHalfHeight = 8.0f / Scale;
constexpr float LegSpringTorque = 40.0f;

// Collision categories: the ground keeps Box2D's default (category 0x0001, mask 0xFFFF); the lander body and the
// legs collide only with the ground, never with each other. Gymnasium's exhaust particles (category 0x0100,
// mask 0x0001) could only ever touch the ground as well, so they cannot push the lander or end an episode; they are
// drawing-only and are left out here.
constexpr uint16_t GroundCategory = 0x0001;
constexpr uint16_t LanderCategory = 0x0010;
constexpr uint16_t LegCategory = 0x0020;
}

// Input of one step: forces and impulses already expressed in world coordinates (newtons, newton-metres,
// newton-seconds, metres). Flags are ints so that the struct is blittable.
struct ppo_lunar_command
{
    int32_t apply_wind;
    float wind_force_x;
    float wind_torque;
    int32_t fire_main;
    float main_impulse_x;
    float main_impulse_y;
    float main_point_x;
    float main_point_y;
    int32_t fire_side;
    float side_impulse_x;
    float side_impulse_y;
    float side_point_x;
    float side_point_y;
};

// Output of a reset or a step: the lander body's state and the contact flags.
struct ppo_lunar_state
{
    float position_x;
    float position_y;
    float velocity_x;
    float velocity_y;
    float angle;
    float angular_velocity;
    int32_t leg_contact[2];
    int32_t body_contact;
    int32_t awake;
};

namespace
{
// Sets the game-over flag when the lander body touches anything (only the ground can touch it), and keeps one flag
// per leg that begin-contact sets and end-contact clears, as Gymnasium's ContactDetector does.
class ContactFlags final : public b2ContactListener
{
public:
    b2Body* lander = nullptr;
    b2Body* legs[2] = {nullptr, nullptr};
    bool body_contact = false;
    bool leg_contact[2] = {false, false};

    void BeginContact(b2Contact* contact) override
    {
        const b2Body* a = contact->GetFixtureA()->GetBody();
        const b2Body* b = contact->GetFixtureB()->GetBody();
        if (a == lander || b == lander)
            body_contact = true;
        for (int i = 0; i < 2; i++)
        {
            if (a == legs[i] || b == legs[i])
                leg_contact[i] = true;
        }
    }

    void EndContact(b2Contact* contact) override
    {
        const b2Body* a = contact->GetFixtureA()->GetBody();
        const b2Body* b = contact->GetFixtureB()->GetBody();
        for (int i = 0; i < 2; i++)
        {
            if (a == legs[i] || b == legs[i])
                leg_contact[i] = false;
        }
    }
};

struct Simulation
{
    explicit Simulation(float gravity) : gravity(gravity) {}

    ~Simulation() { delete world; }

    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    float gravity;
    b2World* world = nullptr;
    ContactFlags contacts;
};

void ReadState(const Simulation& simulation, ppo_lunar_state* state)
{
    const b2Body* lander = simulation.contacts.lander;
    const b2Vec2 position = lander->GetPosition();
    const b2Vec2 velocity = lander->GetLinearVelocity();
    state->position_x = position.x;
    state->position_y = position.y;
    state->velocity_x = velocity.x;
    state->velocity_y = velocity.y;
    state->angle = lander->GetAngle();
    state->angular_velocity = lander->GetAngularVelocity();
    state->leg_contact[0] = simulation.contacts.leg_contact[0] ? 1 : 0;
    state->leg_contact[1] = simulation.contacts.leg_contact[1] ? 1 : 0;
    state->body_contact = simulation.contacts.body_contact ? 1 : 0;
    state->awake = lander->IsAwake() ? 1 : 0;
}

// Builds a fresh world: a fresh one per episode, as LunarLander-v3 does, so that nothing of the previous episode
// (contact caches, broad-phase proxies, island order) can leak into the next one.
void BuildWorld(Simulation& simulation, const float* terrain_heights, float initial_force_x, float initial_force_y)
{
    delete simulation.world;
    simulation.world = nullptr;
    simulation.contacts = ContactFlags();

    auto* world = new b2World(b2Vec2(0.0f, simulation.gravity));
    simulation.world = world;
    world->SetContactListener(&simulation.contacts);

    // Ground: a flat edge at y = 0 across the viewport (Box2D's default fixture settings), then one edge per terrain
    // chunk between the smoothed heights, friction 0.1.
    b2BodyDef ground_definition;
    b2Body* ground = world->CreateBody(&ground_definition);
    b2EdgeShape edge;
    edge.SetTwoSided(b2Vec2(0.0f, 0.0f), b2Vec2(ViewportWidth, 0.0f));
    b2FixtureDef floor_fixture;
    floor_fixture.shape = &edge;
    ground->CreateFixture(&floor_fixture);
    for (int i = 0; i < TerrainChunks - 1; i++)
    {
        const float x1 = ViewportWidth / (TerrainChunks - 1) * static_cast<float>(i);
        const float x2 = ViewportWidth / (TerrainChunks - 1) * static_cast<float>(i + 1);
        edge.SetTwoSided(b2Vec2(x1, terrain_heights[i]), b2Vec2(x2, terrain_heights[i + 1]));
        b2FixtureDef chunk_fixture;
        chunk_fixture.shape = &edge;
        chunk_fixture.density = 0.0f;
        chunk_fixture.friction = 0.1f;
        ground->CreateFixture(&chunk_fixture);
    }

    // Lander body: a hexagon (pixel coordinates divided by SCALE) at the top centre of the viewport.
    const float initial_x = ViewportWidth / 2.0f;
    const float initial_y = ViewportHeight;
    static const float hull[6][2] = {{-14, +17}, {-17, 0}, {-17, -10}, {+17, -10}, {+17, 0}, {+14, +17}};
    b2Vec2 vertices[6];
    for (int i = 0; i < 6; i++)
        vertices[i].Set(hull[i][0] / Scale, hull[i][1] / Scale);
    b2PolygonShape lander_shape;
    lander_shape.Set(vertices, 6);

    b2BodyDef lander_definition;
    lander_definition.type = b2_dynamicBody;
    lander_definition.position.Set(initial_x, initial_y);
    lander_definition.angle = 0.0f;
    b2Body* lander = world->CreateBody(&lander_definition);
    b2FixtureDef lander_fixture;
    lander_fixture.shape = &lander_shape;
    lander_fixture.density = 5.0f;
    lander_fixture.friction = 0.1f;
    lander_fixture.restitution = 0.0f;
    lander_fixture.filter.categoryBits = LanderCategory;
    lander_fixture.filter.maskBits = GroundCategory;
    lander->CreateFixture(&lander_fixture);
    lander->ApplyForceToCenter(b2Vec2(initial_force_x, initial_force_y), true);
    simulation.contacts.lander = lander;

    // Legs: thin boxes hinged at the lander's origin, motorised against their joint limits like springs.
    b2PolygonShape leg_shape;
    leg_shape.SetAsBox(LegHalfWidth, LegHalfHeight);
    for (int k = 0; k < 2; k++)
    {
        const float side = k == 0 ? -1.0f : +1.0f;
        b2BodyDef leg_definition;
        leg_definition.type = b2_dynamicBody;
        leg_definition.position.Set(initial_x - side * LegAway, initial_y);
        leg_definition.angle = side * 0.05f;
        b2Body* leg = world->CreateBody(&leg_definition);
        b2FixtureDef leg_fixture;
        leg_fixture.shape = &leg_shape;
        leg_fixture.density = 1.0f;
        leg_fixture.restitution = 0.0f;
        leg_fixture.filter.categoryBits = LegCategory;
        leg_fixture.filter.maskBits = GroundCategory;
        leg->CreateFixture(&leg_fixture);

        b2RevoluteJointDef joint;
        joint.bodyA = lander;
        joint.bodyB = leg;
        joint.localAnchorA.Set(0.0f, 0.0f);
        joint.localAnchorB.Set(side * LegAway, LegDown);
        joint.enableMotor = true;
        joint.enableLimit = true;
        joint.maxMotorTorque = LegSpringTorque;
        joint.motorSpeed = 0.3f * side;
        if (k == 0)
        {
            joint.lowerAngle = 0.9f - 0.5f;
            joint.upperAngle = 0.9f;
        }
        else
        {
            joint.lowerAngle = -0.9f;
            joint.upperAngle = -0.9f + 0.5f;
        }
        world->CreateJoint(&joint);
        simulation.contacts.legs[k] = leg;
    }
}
}

// Creates an empty simulation with the given vertical gravity (m/s²). Returns null when out of memory.
PPO_EXPORT void* ppo_lunar_create(float gravity)
{
    return new (std::nothrow) Simulation(gravity);
}

// Destroys a simulation created by ppo_lunar_create, with its world. Null is ignored.
PPO_EXPORT void ppo_lunar_destroy(void* handle)
{
    delete static_cast<Simulation*>(handle);
}

// Replaces the world with a new episode's: terrain from the 11 smoothed chunk heights (metres), lander, legs and
// joints, and the initial random force on the lander's centre (applied during the first step). Writes the lander
// state. Returns 0 on success, -1 when out of memory.
PPO_EXPORT int32_t ppo_lunar_reset(void* handle, const float* terrain_heights, float initial_force_x,
                                   float initial_force_y, ppo_lunar_state* state)
{
    auto* simulation = static_cast<Simulation*>(handle);
    try
    {
        BuildWorld(*simulation, terrain_heights, initial_force_x, initial_force_y);
    }
    catch (const std::bad_alloc&)
    {
        return -1;
    }

    ReadState(*simulation, state);
    return 0;
}

// Applies the wind and the engine impulses of one frame, advances the world by 1/50 s (180 velocity and 60 position
// iterations) and writes the lander state.
PPO_EXPORT void ppo_lunar_step(void* handle, const ppo_lunar_command* command, ppo_lunar_state* state)
{
    auto* simulation = static_cast<Simulation*>(handle);
    b2Body* lander = simulation->contacts.lander;
    if (command->apply_wind != 0)
    {
        lander->ApplyForceToCenter(b2Vec2(command->wind_force_x, 0.0f), true);
        lander->ApplyTorque(command->wind_torque, true);
    }

    // An engine that does not fire must not touch the body: even a zero impulse would wake a sleeping lander.
    if (command->fire_main != 0)
    {
        lander->ApplyLinearImpulse(b2Vec2(command->main_impulse_x, command->main_impulse_y),
                                   b2Vec2(command->main_point_x, command->main_point_y), true);
    }

    if (command->fire_side != 0)
    {
        lander->ApplyLinearImpulse(b2Vec2(command->side_impulse_x, command->side_impulse_y),
                                   b2Vec2(command->side_point_x, command->side_point_y), true);
    }

    simulation->world->Step(TimeStep, VelocityIterations, PositionIterations);
    ReadState(*simulation, state);
}
