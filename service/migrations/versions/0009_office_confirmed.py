"""office profile: who confirmed it and when; documents are issued only from a confirmed profile

An existing install keeps its profile's values (documents already issued carry them), but starts
unconfirmed: this database cannot tell the example values a profile used to be created with (an
invented NIP, a head of office who does not exist) from an office's real data, so issuing is paused
until the administrator has reviewed the profile and confirmed it on its page.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('office_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_office_profile_confirmed_by_id_users'),
                                    'users', ['confirmed_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('office_profile', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_office_profile_confirmed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('confirmed_by_id')
        batch_op.drop_column('confirmed_at')
